// GET /api/v2/integration-capabilities/featureStore/{projectKey}/{environmentKey} (beta) — the environment's delivery
// configurations, oldest first, secrets masked; 404 naming the project or environment that is missing.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { deliveriesWithScope } from './getIntegrationDeliveryConfigurations.js';
import { environmentPath, representDeliveries } from './represent.js';

export function getIntegrationDeliveryConfigurationByEnvironment(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string } }>('/api/v2/integration-capabilities/featureStore/:projectKey/:environmentKey', { config: { beta: true } }, async (request) => {
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const items = await deliveriesWithScope(deps.store.db, environment.id);
    return representDeliveries(environmentPath({ projectKey: project.key, environmentKey: environment.key }), items);
  });
}
