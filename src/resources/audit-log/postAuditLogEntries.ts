// POST /api/v2/auditlog — search the audit log: the query parameters of GET /api/v2/auditlog, and a body of
// statements that picks entries by the action done and the resource it was done to (statements.ts).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { isObject } from '../../http/patch/jsonPatch.js';
import { listAuditEntries } from './getAuditLogEntries.js';
import { accessesOf, accessPicker, readStatements } from './statements.js';

export function postAuditLogEntries(app: FastifyInstance, deps: Deps): void {
  // A search is a read: any role may make it.
  // The body is optional (the spec requires none): left out, empty, `null` or `{}` picks every entry, as `[]` does.
  // The TypeScript client sends `{}` for a search without statements, ldcli's generated command `null`.
  app.post('/api/v2/auditlog', { config: { role: 'reader', optionalBody: true } }, async (request) => {
    const body = request.body === null || (isObject(request.body) && Object.keys(request.body).length === 0) ? undefined : request.body;
    const picks = accessPicker(readStatements(body, false));
    return listAuditEntries(deps, request, (row) => accessesOf(row).some(picks));
  });
}
