// DELETE /api/v2/engineering-insights/insights/groups/{insightGroupKey} (beta) — deletes an insight group: 204. The
// deployments, flag events and everything its scores came from stay.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { requireProjectView, requireSomeProjectView } from './access.js';
import { findGroup, groupAudit, representGroup } from './groups.js';

export function deleteInsightGroup(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { insightGroupKey: string } }>('/api/v2/engineering-insights/insights/groups/:insightGroupKey', { config: { beta: true, validationErrors: true } }, async (request, reply) => {
    await requireSomeProjectView(deps, request.actor);
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const group = await findGroup(trx, request.params.insightGroupKey, deps.store);
      await requireProjectView(deps, request.actor, group.row.project_id, `Insight group "${group.row.key}"`, trx);
      await trx.deleteFrom('insight_groups').where('key', '=', group.row.key).execute();
      await recordAudit(trx, request.actor, now, { ...groupAudit(group, 'deleteInsightGroup', 'deleted'), before: representGroup(group) });
    });
    return reply.code(204).send();
  });
}
