// GET /api/v2/metrics/{projectKey}/{metricKey} — one metric; expand adds the experiments and metric groups that use it
// (and, iterlab running no guarded rollouts, guarded rollout counts of zero).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import { findMember } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { findMetric, listMetricGroups, metricGroupLinks } from './model.js';
import { representMetric } from './represent.js';
import { dependentExperimentRep, lastUsedIn, metricUsage } from './usage.js';

export function getMetric(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; metricKey: string }; Querystring: Record<string, unknown> }>(
    '/api/v2/metrics/:projectKey/:metricKey',
    async (request) => {
      const db = deps.store.db;
      const project = await findProject(db, request.params.projectKey);
      const { row, doc } = await findMetric(db, project.id, request.params.metricKey);
      // Only the current version is kept; an older version id is reported as not found rather than served wrong.
      const versionId = request.query.versionId;
      if (typeof versionId === 'string' && versionId !== '' && versionId !== doc._versionId) {
        throw notFound(`Version "${versionId}" of metric "${row.key}"`);
      }
      const rep = representMetric(project.key, row, doc, doc.maintainerId ? await findMember(db, doc.maintainerId) : undefined);
      const expand = readExpand(request.query);
      // No guarded rollout uses a metric here: `guardedRollouts` and `lastUsedInGuardedRollout` stay out (as an empty
      // expanded list does), counts are 0. The 2026-03 MetricRep lacks `guardedRolloutCount`; LaunchDarkly's later one has it.
      if (expand.has('guardedRolloutCount')) {
        rep.guardedRolloutCount = 0;
        rep.activeGuardedRolloutCount = 0;
      }
      const wantsGroups = expand.has('metricGroups') || expand.has('metricGroupCount');
      const wantsExperiments = expand.has('experiments') || expand.has('experimentCount') || expand.has('lastUsedInExperiment');
      if (wantsGroups) {
        const groups = (await listMetricGroups(db, project.id))
          .filter((g) => g.doc.metrics.some((m) => m.key === row.key))
          .sort((a, b) => a.row.created_at - b.row.created_at || a.row.key.localeCompare(b.row.key));
        if (expand.has('metricGroupCount')) rep.metricGroupCount = groups.length;
        if (expand.has('metricGroups') && groups.length > 0) {
          rep.metricGroups = groups.map((g) => ({ key: g.row.key, name: g.doc.name, kind: g.doc.kind, _links: metricGroupLinks(project.key, g.row.key) }));
        }
      }
      if (wantsExperiments) {
        const uses = (await metricUsage(db, project.id, [row.key]))(row.key);
        if (expand.has('experimentCount')) {
          rep.experimentCount = uses.length;
          rep.activeExperimentCount = uses.filter((u) => u.running).length;
        }
        if (expand.has('experiments') && uses.length > 0) rep.experiments = uses.map((u) => dependentExperimentRep(project.key, u));
        const last = expand.has('lastUsedInExperiment') ? lastUsedIn(uses) : undefined;
        if (last) rep.lastUsedInExperiment = dependentExperimentRep(project.key, last);
      }
      return rep;
    },
  );
}
