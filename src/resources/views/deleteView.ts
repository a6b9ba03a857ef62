// DELETE /api/v2/projects/{projectKey}/views/{viewKey} (beta) — delete a view: 204. Its links go with it; the flags and
// segments it linked stay (LaunchDarkly: "Deleting a view does not delete the resources linked to it").
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { representOneView } from './answer.js';
import { findView } from './model.js';
import { viewAudit, viewPlace } from './represent.js';

export function deleteView(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; viewKey: string } }>('/api/v2/projects/:projectKey/views/:viewKey', { config: { beta: true } }, async (request, reply) => {
    const project = await deps.catalog.project(request.params.projectKey);
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findView(trx, project, request.params.viewKey, deps.store);
      const before = await representOneView(trx, row, viewPlace(deps.accountId, project), new Set(['resourceSummary']));
      await trx.deleteFrom('views').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, viewAudit(project.key, row, 'deleteView', `deleted the view ${row.name}`, { before }));
    });
    return reply.code(204).send();
  });
}
