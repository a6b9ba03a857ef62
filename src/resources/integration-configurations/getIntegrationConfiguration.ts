// GET /api/v2/integration-configurations/{integrationConfigurationId} (beta) — one integration configuration,
// secrets masked. Every token may read configurations, as audit log subscriptions.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findConfiguration } from './model.js';
import { representConfiguration } from './represent.js';

export interface ConfigurationParams {
  integrationConfigurationId: string;
}

export function getIntegrationConfiguration(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ConfigurationParams }>('/api/v2/integration-configurations/:integrationConfigurationId', { config: { beta: true } }, async (request) => {
    return representConfiguration(await findConfiguration(deps.store.db, request.params.integrationConfigurationId));
  });
}
