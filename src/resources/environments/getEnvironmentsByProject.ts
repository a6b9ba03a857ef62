// GET /api/v2/projects/{projectKey}/environments — list a project's environments (filter query, sort, paging).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { hasEveryTag, parseFilter, parseSort } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { listEnvironments, representEnvironment, type EnvironmentDoc } from './environments.js';

export function getEnvironmentsByProject(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey/environments', async (request) => {
    const query = request.query as Record<string, unknown>;
    const page = readPage(query, 20);
    const filter = parseFilter(query.filter, ['query', 'tags']);
    const sort = parseSort(query.sort, ['createdOn', 'critical', 'name'], 'createdOn');
    const project = await findProject(deps.store.db, request.params.projectKey);
    let envs = await listEnvironments(deps.store.db, project.id);
    // LaunchDarkly: "The filter is not case-sensitive", and `tags` keeps environments that have all of the tags.
    const text = filter.get('query')?.toLowerCase();
    if (text) envs = envs.filter((env) => env.key.toLowerCase().includes(text) || env.name.toLowerCase().includes(text));
    if (filter.has('tags')) envs = envs.filter((env) => hasEveryTag((JSON.parse(env.doc) as EnvironmentDoc).tags, filter.get('tags')));
    if (sort.field === 'name') envs.sort((a, b) => a.name.localeCompare(b.name));
    if (sort.field === 'critical') envs.sort((a, b) => Number((JSON.parse(b.doc) as EnvironmentDoc).critical) - Number((JSON.parse(a.doc) as EnvironmentDoc).critical));
    if (sort.descending) envs.reverse();
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
