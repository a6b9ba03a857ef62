// GET /api/v2/projects/{projectKey}/views (beta) — the project's views: filter on name, key, tag, maintainerId and
// isPayloadView, sort on key (the default), name or updatedAt, pages of 20 by default; `expand` adds each view's
// flag and segment summaries and counts.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { pageLinks, readKnownExpand } from '../../http/links.js';
import { representViews } from './answer.js';
import { filterAndSort, readViewListQuery } from './listing.js';
import { listViews } from './model.js';
import { LIST_EXPANDS, viewPlace, viewsPath } from './represent.js';

export function getViews(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>('/api/v2/projects/:projectKey/views', { config: { beta: true } }, async (request) => {
    const query = request.query;
    const list = readViewListQuery(query);
    const expand = readKnownExpand(query, LIST_EXPANDS);
    const project = await deps.catalog.project(request.params.projectKey);
    const db = deps.store.db;
    const listed = filterAndSort(await listViews(db, project.id), list);
    const { page } = list;
    return {
      _links: pageLinks(viewsPath(project.key), page, listed.length, {
        filter: query.filter as string | undefined,
        sort: query.sort as string | undefined,
        expand: expand.size > 0 ? [...expand].join(',') : undefined,
      }),
      items: await representViews(db, listed.slice(page.offset, page.offset + page.limit), viewPlace(deps.accountId, project), expand),
      totalCount: listed.length,
    };
  });
}
