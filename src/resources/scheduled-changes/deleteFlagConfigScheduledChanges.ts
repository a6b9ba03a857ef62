// DELETE /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/scheduled-changes/{id} —
// cancel a schedule; 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { flagEnvironmentAudit, flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { auditedSchedule, findScheduledChange } from './model.js';
import { SCHEDULES_URL } from './scope.js';

export function deleteFlagConfigScheduledChanges(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: FlagInEnvironmentParams & { id: string } }>(`${SCHEDULES_URL}/:id`, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const { flag, environment, place } = await flagInEnvironment(deps, trx, request.params);
      const row = await findScheduledChange(trx, { flagId: flag.row.id, environmentId: environment.id, id: request.params.id }, deps.store);
      await trx.deleteFrom('flag_scheduled_changes').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, flagEnvironmentAudit(place, flag.doc.name, 'deleteScheduledChanges', `cancelled scheduled changes to the flag ${flag.doc.name} in ${place.environmentKey}`, { before: auditedSchedule(row) }));
    });
    return reply.code(204).send();
  });
}
