// GET /api/v2/projects/{projectKey}/environments — list a project's environments (filter query, sort, paging).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { compareFields, hasEveryTag, parseFilter, parseSortList } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { listEnvironments, representEnvironment, type EnvironmentDoc } from './environments.js';

export function getEnvironmentsByProject(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey/environments', async (request) => {
    const query = request.query as Record<string, unknown>;
    const page = readPage(query, 20);
    const filter = parseFilter(query.filter, ['query', 'tags']);
    const sort = parseSortList(query.sort, ['createdOn', 'critical', 'name'], 'createdOn');
    const project = await findProject(deps.store.db, request.params.projectKey);
    let envs = await listEnvironments(deps.store.db, project.id);
    // LaunchDarkly: "The filter is not case-sensitive", and `tags` keeps environments that have all of the tags.
    const text = filter.get('query')?.toLowerCase();
    if (text) envs = envs.filter((env) => env.key.toLowerCase().includes(text) || env.name.toLowerCase().includes(text));
    if (filter.has('tags')) envs = envs.filter((env) => hasEveryTag((JSON.parse(env.doc) as EnvironmentDoc).tags, filter.get('tags')));
    // Environments are listed in creation order; `critical` puts critical environments first (its "ascending" reads
    // as most critical first, as LaunchDarkly's UI lists them), `-critical` last.
    const critical = (env: (typeof envs)[number]) => Number((JSON.parse(env.doc) as EnvironmentDoc).critical === true);
    const compare = (a: (typeof envs)[number], b: (typeof envs)[number], field: 'createdOn' | 'critical' | 'name') =>
      field === 'name' ? a.name.localeCompare(b.name) : field === 'critical' ? critical(b) - critical(a) : 0;
    const byCreation = envs.map((env, at) => [env, at] as const);
    envs = byCreation.sort(([a, i], [b, j]) => compareFields(sort, compare, () => i - j)(a, b)).map(([env]) => env);
    const total = envs.length;
    return {
      _links: pageLinks(`/api/v2/projects/${project.key}/environments`, page, total, {
        filter: query.filter as string | undefined,
        sort: query.sort as string | undefined,
      }),
      totalCount: total,
      items: envs.slice(page.offset, page.offset + page.limit).map((env) => representEnvironment(project.key, env)),
    };
  });
}
