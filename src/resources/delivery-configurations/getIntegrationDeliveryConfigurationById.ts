// GET /api/v2/integration-capabilities/featureStore/{projectKey}/{environmentKey}/{integrationKey}/{id} (beta) — one
// delivery configuration, secrets masked.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { DeliveryParams } from './createIntegrationDeliveryConfiguration.js';
import { findDelivery, findDeliveryForm } from './model.js';
import { representDelivery } from './represent.js';

export type DeliveryIdParams = DeliveryParams & { id: string };

export const DELIVERY_ID_ROUTE = '/api/v2/integration-capabilities/featureStore/:projectKey/:environmentKey/:integrationKey/:id';

export function getIntegrationDeliveryConfigurationById(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: DeliveryIdParams }>(DELIVERY_ID_ROUTE, { config: { beta: true } }, async (request) => {
    const { integrationKey, id } = request.params;
    findDeliveryForm(integrationKey);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const row = await findDelivery(deps.store.db, environment.id, integrationKey, id);
    return representDelivery(row, { projectKey: project.key, environmentKey: environment.key });
  });
}
