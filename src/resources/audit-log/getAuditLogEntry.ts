// GET /api/v2/auditlog/{id} — one audit log entry, with the change (delta) and the resource before and after it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { projectViewer } from '../custom-roles/access.js';
import { auditContext, representAuditEntry } from './represent.js';

export function getAuditLogEntry(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { id: string } }>('/api/v2/auditlog/:id', async (request) => {
    const row = await deps.store.db.selectFrom('audit_log').selectAll().where('id', '=', request.params.id).executeTakeFirst();
    // An entry of a project a custom-role token may not view is, for it, not there.
    const mayView = await projectViewer(deps.store.db, request.actor);
    if (!row || (mayView && row.project_key !== null && !mayView(row.project_key))) throw notFound(`Audit log entry "${request.params.id}"`);
    return representAuditEntry(row, await auditContext(deps.store.db, deps.accountId, [row]), true);
  });
}
