// GET /api/v2/projects/{projectKey}/ai-configs/{configKey}/metrics?from&to&env[&contextKind[&contextKey]] — the config's metrics in one
// environment over a time range (`to` exclusive, at most 100 days), from the events LaunchDarkly's AI SDKs track.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { summarize } from './metrics.js';
import { metricsScope } from './metricsScope.js';
import { AI_CONFIG_URL, type ConfigParams } from './model.js';
import { representMetrics } from './represent.js';

export function getAIConfigMetrics(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ConfigParams; Querystring: Record<string, unknown> }>(`${AI_CONFIG_URL}/metrics`, async (request) => {
    const { events, costOf } = await metricsScope(deps, request);
    return representMetrics(summarize(events, costOf));
  });
}
