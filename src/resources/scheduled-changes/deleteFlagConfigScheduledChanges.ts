// DELETE /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/scheduled-changes/{id} —
// cancel a schedule; 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { scheduleAudit } from './audit.js';
import { findScheduledChange } from './model.js';
import { SCHEDULES_URL, scheduleScope, type ScheduleParams } from './scope.js';

export function deleteFlagConfigScheduledChanges(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: ScheduleParams & { id: string } }>(`${SCHEDULES_URL}/:id`, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const { flag, environment, place } = await scheduleScope(deps, trx, request.params);
      const row = await findScheduledChange(trx, { flagId: flag.row.id, environmentId: environment.id, id: request.params.id }, deps.store);
      await trx.deleteFrom('flag_scheduled_changes').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, scheduleAudit(place, flag.doc.name, 'deleteScheduledChanges', `cancelled scheduled changes to the flag ${flag.doc.name} in ${place.environmentKey}`, { before: row }));
    });
    return reply.code(204).send();
  });
}
