// DELETE /api/v2/flags/{projectKey}/{featureFlagKey}/triggers/{environmentKey}/{id} — delete a trigger: its URL stops
// working; 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { flagEnvironmentAudit, flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { auditedTrigger, findTrigger, triggerDoc, TRIGGERS_URL } from './model.js';

export function deleteTriggerWorkflow(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: FlagInEnvironmentParams & { id: string } }>(`${TRIGGERS_URL}/:id`, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const { flag, environment, place } = await flagInEnvironment(deps, trx, request.params);
      const row = await findTrigger(trx, { flagId: flag.row.id, environmentId: environment.id, id: request.params.id }, deps.store);
      await trx.deleteFrom('flag_triggers').where('id', '=', row.id).execute();
      const description = `deleted a ${triggerDoc(row).integrationKey} trigger of the flag ${flag.doc.name} in ${place.environmentKey}`;
      await recordAudit(trx, request.actor, now, flagEnvironmentAudit(place, flag.doc.name, 'deleteTriggers', description, { before: auditedTrigger(row) }));
    });
    return reply.code(204).send();
  });
}
