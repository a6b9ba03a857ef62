// GET …/experiments/{experimentKey}/metric-groups/{metricGroupKey}/results — an iteration's results for each metric
// of one of its metric groups, in the group's order. Deprecated by LaunchDarkly (2025-07 spec), as its sibling.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { funnelEvents, type MetricEvent } from '../../analysis/results.js';
import { exposedUnits, metricCovariates, metricEvents, representResults, resultsContext } from './results.js';

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
    const members = (group.detail.metrics as Record<string, unknown>[] | undefined) ?? [];
    const current = await deps.catalog.metrics(ctx.projectId, members.map((m) => m.key as string));
    const self = request.url.split('?')[0];
    const exposed = await exposedUnits(ctx);
    let events: MetricEvent[][] = [];
    for (const member of members) events.push(await metricEvents(ctx, exposed, member));
    // A funnel's steps count in order: a unit converts a step only after the one before it.
    if (group.detail.kind === 'funnel') events = funnelEvents(exposed.units, events);
    const metrics: { metric: Record<string, unknown>; results: Record<string, unknown> }[] = [];
    for (const [i, member] of members.entries()) {
      const covariates = group.detail.kind === 'funnel' ? undefined : await metricCovariates(ctx, exposed, member);
      metrics.push({ metric: member, results: await representResults(exposed, events[i], { pinned: member, current: current.get(member.key as string)?.doc, covariates }, { traffic: false, self }) });
    }
    return { _links: { self: link(self) }, metrics };
  });
}
