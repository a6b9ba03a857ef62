// POST /api/v2/auditlog — search the audit log: the query parameters of GET /api/v2/auditlog, and a body of
// statements that picks entries by the action done and the resource it was done to (statements.ts).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { listAuditEntries } from './getAuditLogEntries.js';
import { accessesOf, accessPicker, readStatements } from './statements.js';

export function postAuditLogEntries(app: FastifyInstance, deps: Deps): void {
  // A search is a read: any role may make it.
  app.post('/api/v2/auditlog', { config: { role: 'reader' } }, async (request) => {
    const picks = accessPicker(readStatements(request.body, false));
    return listAuditEntries(deps, request, (row) => accessesOf(row).some(picks));
  });
}
