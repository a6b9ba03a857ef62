// GET …/experiments/{experimentKey}/metrics/{metricKey}/results — an iteration's Bayesian results for one metric,
// computed from the events the SDKs sent (`iterationId` picks an iteration; `expand=traffic` adds exposed units).
// Deprecated by LaunchDarkly (2025-07 spec) and still in the clients that teams run.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import { exposedUnits, metricCovariates, metricEvents, pinnedMetric, representResults, resultsContext } from './results.js';

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
    const current = (await deps.catalog.metrics(ctx.projectId, [metricKey])).get(metricKey)?.doc;
    const exposed = await exposedUnits(ctx);
    const covariates = await metricCovariates(ctx, exposed, pinned);
    return representResults(exposed, await metricEvents(ctx, exposed, pinned), { pinned, current, covariates }, { traffic: readExpand(query).has('traffic'), self: request.url.split('?')[0] });
  });
}
