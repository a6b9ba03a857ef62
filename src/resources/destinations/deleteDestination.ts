// DELETE /api/v2/destinations/{projectKey}/{environmentKey}/{id} — delete a Data Export destination: 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { DESTINATION_URL, destinationScope, findDestination, type DestinationParams } from './model.js';
import { destinationAudit, representDestination } from './represent.js';

export function deleteDestination(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: DestinationParams & { id: string } }>(`${DESTINATION_URL}/:id`, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const { environmentId, place } = await destinationScope(trx, request.params);
      const row = await findDestination(trx, environmentId, request.params.id, deps.store);
      await trx.deleteFrom('destinations').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, destinationAudit(row, place, 'deleteDestination', 'deleted', { before: representDestination(row, place) }));
    });
    return reply.code(204).send();
  });
}
