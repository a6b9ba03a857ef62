// GET /api/v2/code-refs/statistics/{projectKey} — for each flag of the project that repositories' default branches
// refer to, one statistic per repository; `flagKey` keeps one flag.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { queryText } from '../../http/filter.js';
import { codeRefStatistics } from './statistics.js';

export function getStatistics(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>('/api/v2/code-refs/statistics/:projectKey', async (request) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    const flagKey = queryText(request.query.flagKey);
    const flags: Record<string, unknown[]> = {};
    for (const s of await codeRefStatistics(deps.store.db)) {
      if (s.projKey !== project.key || (flagKey !== undefined && s.flagKey !== flagKey)) continue;
      (flags[s.flagKey] ??= []).push(s.rep);
    }
    return { flags, _links: { self: link(`/api/v2/code-refs/statistics/${encodeURIComponent(project.key)}`) } };
  });
}
