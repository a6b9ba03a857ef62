// GET /api/v2/projects/{projectKey}/ai-configs/{configKey}/metrics-by-variation?from&to&env[&contextKind[&contextKey]] — the config's metrics
// as getAIConfigMetrics sums them, for each of its variations (then any deleted variation that events name).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { byVariation, summarize } from './metrics.js';
import { metricsScope } from './metricsScope.js';
import { AI_CONFIG_URL, type ConfigParams } from './model.js';
import { representMetricsByVariation } from './represent.js';

export function getAIConfigMetricsByVariation(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ConfigParams; Querystring: Record<string, unknown> }>(`${AI_CONFIG_URL}/metrics-by-variation`, async (request) => {
    const { config, events, costOf } = await metricsScope(deps, request);
    const split = byVariation(events, config.variations.map((v) => v.key));
    return representMetricsByVariation(split.map(([key, own]) => [key, summarize(own, costOf)]));
  });
}
