// GET /api/v2/code-refs/statistics — a link to the statistics of each project that repositories' default branches
// refer to.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { codeRefStatistics } from './statistics.js';

export function getRootStatistic(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/code-refs/statistics', async () => {
    const projects = [...new Set((await codeRefStatistics(deps.store.db)).map((s) => s.projKey))].sort();
    return { projects: projects.map((key) => link(`/api/v2/code-refs/statistics/${encodeURIComponent(key)}`)), self: link('/api/v2/code-refs/statistics') };
  });
}
