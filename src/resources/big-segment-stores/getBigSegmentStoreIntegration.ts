// GET /api/v2/integration-capabilities/big-segment-store/{projectKey}/{environmentKey}/{integrationKey}/{integrationId}
// (beta) — one persistent store integration, secrets masked, with its sync status.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findStoreForm, findStoreIntegration } from './model.js';
import { representStoreIntegration } from './represent.js';
import type { StoreParams } from './createBigSegmentStoreIntegration.js';

export type StoreIdParams = StoreParams & { integrationId: string };

export function getBigSegmentStoreIntegration(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: StoreIdParams }>('/api/v2/integration-capabilities/big-segment-store/:projectKey/:environmentKey/:integrationKey/:integrationId', { config: { beta: true } }, async (request) => {
    const { integrationKey, integrationId } = request.params;
    findStoreForm(integrationKey);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const row = await findStoreIntegration(deps.store.db, environment.id, integrationKey, integrationId);
    return representStoreIntegration(row, { projectKey: project.key, environmentKey: environment.key }, deps.now());
  });
}
