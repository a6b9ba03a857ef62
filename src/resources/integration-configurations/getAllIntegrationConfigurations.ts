// GET /api/v2/integration-configurations/keys/{integrationKey} (beta) — the integration's configurations, oldest
// first, secrets masked; 404 for a key that is no integration taking configurations.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findConfigurableIntegration } from './model.js';
import { representConfigurations } from './represent.js';

export function getAllIntegrationConfigurations(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { integrationKey: string } }>('/api/v2/integration-configurations/keys/:integrationKey', { config: { beta: true } }, async (request) => {
    const { integrationKey } = request.params;
    findConfigurableIntegration(integrationKey);
    const rows = await deps.store.db.selectFrom('integration_configurations').selectAll().where('integration_key', '=', integrationKey).orderBy('created_at').orderBy('id').execute();
    return representConfigurations(integrationKey, rows);
  });
}
