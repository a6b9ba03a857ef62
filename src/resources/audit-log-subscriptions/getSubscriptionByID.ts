// GET /api/v2/integrations/{integrationKey}/{id} — one audit log subscription of the integration, its secrets masked.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findIntegration, findSubscription } from './model.js';
import { representSubscription } from './represent.js';

export function getSubscriptionByID(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { integrationKey: string; id: string } }>('/api/v2/integrations/:integrationKey/:id', async (request) => {
    const { integrationKey, id } = request.params;
    const form = findIntegration(integrationKey);
    return representSubscription(await findSubscription(deps.store.db, integrationKey, id), form);
  });
}
