// DELETE /api/v2/integration-capabilities/featureStore/{projectKey}/{environmentKey}/{integrationKey}/{id} (beta) —
// delete a delivery configuration: 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { DELIVERY_ID_ROUTE, type DeliveryIdParams } from './getIntegrationDeliveryConfigurationById.js';
import { findDelivery, findDeliveryForm } from './model.js';
import { deliveryAudit } from './represent.js';

export function deleteIntegrationDeliveryConfiguration(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: DeliveryIdParams }>(DELIVERY_ID_ROUTE, { config: { beta: true } }, async (request, reply) => {
    const { integrationKey, id } = request.params;
    findDeliveryForm(integrationKey);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const scope = { projectKey: project.key, environmentKey: environment.key };
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findDelivery(trx, environment.id, integrationKey, id, deps.store);
      await trx.deleteFrom('delivery_configurations').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, deliveryAudit(row, scope, 'deleteIntegration', 'deleted', { before: row }));
    });
    return reply.code(204).send();
  });
}
