// GET /api/v2/projects/{projectKey}/metric-groups/{metricGroupKey} (beta) — one group; expand adds the experiments using it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readExpand } from '../../http/links.js';
import { findMember } from '../members/members.js';
import { findMetricGroup, findMetrics } from '../metrics/model.js';
import { dependentExperimentRep, usesByKey } from '../metrics/usage.js';
import { findProject } from '../projects/projects.js';
import { representMetricGroup } from './groups.js';

export function getMetricGroup(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; metricGroupKey: string }; Querystring: Record<string, unknown> }>(
    '/api/v2/projects/:projectKey/metric-groups/:metricGroupKey',
    { config: { beta: true } },
    async (request) => {
      const db = deps.store.db;
      const project = await findProject(db, request.params.projectKey);
      const { row, doc } = await findMetricGroup(db, project.id, request.params.metricGroupKey);
      const metrics = await findMetrics(db, project.id, doc.metrics.map((m) => m.key));
      const maintainer = await findMember(db, doc.maintainerId);
      const rep = representMetricGroup(project.key, row, doc, maintainer, new Map([...metrics].map(([key, m]) => [key, m.doc])));
      const expand = readExpand(request.query);
      if (expand.has('experiments') || expand.has('experimentCount')) {
        const uses = (await usesByKey(db, project.id, 'metric-group', [row.key])).get(row.key) ?? [];
        if (expand.has('experimentCount')) {
          rep.experimentCount = uses.length;
          rep.activeExperimentCount = uses.filter((u) => u.running).length;
        }
        if (expand.has('experiments') && uses.length > 0) rep.experiments = uses.map((u) => dependentExperimentRep(project.key, u));
      }
      return rep;
    },
  );
}
