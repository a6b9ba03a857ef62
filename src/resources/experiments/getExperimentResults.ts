// GET …/experiments/{experimentKey}/metrics/{metricKey}/results — an iteration's results for one metric, computed
// from the events the SDKs sent: Bayesian, or frequentist for a frequentist experiment (`iterationId` picks an
// iteration; `expand=traffic` adds exposed units). Deprecated by LaunchDarkly (2025-07 spec) and still in the
// clients that teams run.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import { adjustForFalseDiscoveries, analysisInput, exposedUnits, pinnedMetric, resultsContext, singleMetricResults } from './results.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  experimentKey: string;
  metricKey: string;
}

export function getExperimentResults(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/metrics/:metricKey/results', async (request) => {
    const { experimentKey, metricKey } = request.params;
    const query = request.query as Record<string, unknown>;
    const ctx = await resultsContext(deps, request.params, query.iterationId);
    const pinned = pinnedMetric(ctx.iteration.doc, metricKey);
    if (!pinned) throw notFound(`Metric "${metricKey}" in the iteration of experiment "${experimentKey}"`);
    const exposed = await exposedUnits(ctx);
    const analysis = analysisInput(ctx, exposed);
    const results = await singleMetricResults(ctx, exposed, pinned, { traffic: readExpand(query).has('traffic'), self: request.url.split('?')[0], analysis });
    await adjustForFalseDiscoveries(ctx, exposed, analysis, { keys: [metricKey], results: [results] });
    return results;
  });
}
