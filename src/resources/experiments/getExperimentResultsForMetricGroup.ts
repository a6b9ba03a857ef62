// GET …/experiments/{experimentKey}/metric-groups/{metricGroupKey}/results — an iteration's results for each metric
// of one of its metric groups, in the group's order. Deprecated by LaunchDarkly (2025-07 spec), as its sibling.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { adjustForFalseDiscoveries, analysisInput, exposedUnits, groupResults, resultsContext } from './results.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  experimentKey: string;
  metricGroupKey: string;
}

export function getExperimentResultsForMetricGroup(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/metric-groups/:metricGroupKey/results', async (request) => {
    const { experimentKey, metricGroupKey } = request.params;
    const ctx = await resultsContext(deps, request.params, (request.query as Record<string, unknown>).iterationId);
    const group = ctx.iteration.doc.metrics.find((m) => m.isGroup && m.key === metricGroupKey);
    if (!group) throw notFound(`Metric group "${metricGroupKey}" in the iteration of experiment "${experimentKey}"`);
    const self = request.url.split('?')[0];
    const exposed = await exposedUnits(ctx);
    const analysis = analysisInput(ctx, exposed);
    const metrics = await groupResults(ctx, exposed, group, { self, analysis });
    await adjustForFalseDiscoveries(ctx, exposed, analysis, { keys: metrics.map((m) => m.metric.key as string), groupKey: group.key, results: metrics.map((m) => m.results) });
    return { _links: { self: link(self) }, metrics };
  });
}
