// GET /api/v2/engineering-insights/repositories (beta) — the code references repositories, by key; `expand=projects`
// adds the LaunchDarkly projects each is associated with.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link, readKnownExpand } from '../../http/links.js';
import { compareText } from '../../store/reads.js';
import { repositoryProjects, representRepository } from './repositories.js';

export const REPOSITORIES_PATH = '/api/v2/engineering-insights/repositories';

export function getInsightsRepositories(app: FastifyInstance, deps: Deps): void {
  app.get<{ Querystring: Record<string, unknown> }>(REPOSITORIES_PATH, { config: { beta: true, validationErrors: true } }, async (request) => {
    const expand = readKnownExpand(request.query, ['projects'] as const);
    const db = deps.store.db;
    const rows = (await db.selectFrom('code_ref_repositories').select(['name', 'doc', 'version']).execute()).sort((a, b) => compareText(a.name, b.name));
    const projects = expand.has('projects') ? await repositoryProjects(db) : undefined;
    return {
      totalCount: rows.length,
      items: rows.map((row) => representRepository(row, projects ? (projects.get(row.name) ?? []) : undefined)),
      _links: { self: link(REPOSITORIES_PATH) },
    };
  });
}
