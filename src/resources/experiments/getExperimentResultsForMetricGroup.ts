// GET …/experiments/{experimentKey}/metric-groups/{metricGroupKey}/results — an iteration's results for each metric
// of one of its metric groups, in the group's order. Deprecated by LaunchDarkly (2025-07 spec), as its sibling.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { experimentResults, resultsIteration } from './results.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  experimentKey: string;
  metricGroupKey: string;
}

export function getExperimentResultsForMetricGroup(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey/metric-groups/:metricGroupKey/results', async (request) => {
    const { projectKey, environmentKey, experimentKey, metricGroupKey } = request.params;
    const query = request.query as Record<string, unknown>;
    const { project, environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    const experiment = await deps.catalog.experiment(environment.id, experimentKey, { projectKey, environmentKey });
    const iteration = await resultsIteration(deps.store.db, experiment.id, experimentKey, query.iterationId);
    const group = iteration.doc.metrics.find((m) => m.isGroup && m.key === metricGroupKey);
    if (!group) throw notFound(`Metric group "${metricGroupKey}" in the iteration of experiment "${experimentKey}"`);
    const members = (group.detail.metrics as Record<string, unknown>[] | undefined) ?? [];
    const current = await deps.catalog.metrics(project.id, members.map((m) => m.key as string));
    const self = request.url.split('?')[0];
    const ctx = { db: deps.store.db, projectId: project.id, environmentId: environment.id, iteration, now: deps.now() };
    const metrics = [];
    for (const member of members) {
      const results = await experimentResults(ctx, { pinned: member, current: current.get(member.key as string)?.doc }, { traffic: false, self });
      metrics.push({ metric: member, results });
    }
    return { _links: { self: link(self) }, metrics };
  });
}
