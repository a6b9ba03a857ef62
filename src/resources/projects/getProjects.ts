// GET /api/v2/projects — list projects: filter (query, tags, keys), sort (name, createdOn), expand=environments; a
// custom-role token sees the projects it may view.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { compareFields, hasEveryTag, parseFilter, parseSortList } from '../../http/filter.js';
import { pageLinks, readExpand } from '../../http/links.js';
import { apiVersionOf, readVersionedPage, settlePage } from '../../http/apiVersion.js';
import { listEnvironments, representEnvironment } from '../environments/environments.js';
import { representProject, type ProjectDoc, type ProjectRow } from './projects.js';
import { link } from '../../http/links.js';
import { viewsProject } from '../custom-roles/access.js';

const ENVIRONMENTS_PAGE = 20;

/**
 * A project's `environments`: "a paginated list of the project environments", the first page of getEnvironmentsByProject
 * (20, as its default `limit`), its `totalCount` all of them and, when there are more, links to the next and last
 * pages of that list.
 */
export function environmentsCollection(projectKey: string, envs: Parameters<typeof representEnvironment>[1][]): Record<string, unknown> {
  const path = `/api/v2/projects/${projectKey}/environments`;
  const { self: _paged, ...more } = pageLinks(path, { limit: ENVIRONMENTS_PAGE, offset: 0 }, envs.length);
  return {
    _links: { self: link(path), ...more },
    totalCount: envs.length,
    items: envs.slice(0, ENVIRONMENTS_PAGE).map((env) => representEnvironment(projectKey, env)),
  };
}

// LaunchDarkly: "The filter is not case-sensitive", for each of its fields. `tags` asks for all of the tags;
// `keys` for any of the keys.
function matches(row: ProjectRow, filter: Map<string, string>): boolean {
  const query = filter.get('query')?.toLowerCase();
  if (query && !row.key.toLowerCase().includes(query) && !row.name.toLowerCase().includes(query)) return false;
  if (filter.has('tags') && !hasEveryTag((JSON.parse(row.doc) as ProjectDoc).tags, filter.get('tags'))) return false;
  const keys = filter.get('keys');
  if (keys && !keys.toLowerCase().split(/[|+ ]/).includes(row.key.toLowerCase())) return false;
  return true;
}

export function getProjects(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/projects', async (request) => {
    const query = request.query as Record<string, unknown>;
    // Before API version 20220603 this list was not paginated and always carried each project's environments.
    const requested = readVersionedPage(request, query, 20, 20220603);
    const withEnvironments = apiVersionOf(request) < 20220603;
    const filter = parseFilter(query.filter, ['query', 'tags', 'keys']);
    const sort = parseSortList(query.sort, ['name', 'createdOn'], 'name');
    const expand = readExpand(query);
    let rows = (await deps.store.db.selectFrom('projects').selectAll().execute()).filter((row) => matches(row, filter) && viewsProject(request.actor, row));
    type Row = (typeof rows)[number];
    const compare = (a: Row, b: Row, field: 'name' | 'createdOn') => (field === 'name' ? a.name.localeCompare(b.name) : a.created_at - b.created_at);
    rows.sort(compareFields(sort, compare, (a, b) => (sort[0].field === 'name' ? a.key.localeCompare(b.key) : a.id.localeCompare(b.id))));
    const total = rows.length;
    const page = settlePage(requested, total);
    rows = rows.slice(page.offset, page.offset + page.limit);
    const items = [];
    for (const row of rows) {
      const envs = expand.has('environments') || withEnvironments ? environmentsCollection(row.key, await listEnvironments(deps.store.db, row.id)) : undefined;
      items.push(representProject(row, envs));
    }
    return {
      _links: pageLinks('/api/v2/projects', page, total, { filter: query.filter as string | undefined, sort: query.sort as string | undefined, expand: query.expand as string | undefined }),
      items,
      totalCount: total,
    };
  });
}
