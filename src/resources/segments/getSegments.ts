// GET /api/v2/segments/{projectKey}/{environmentKey} — list an environment's segments: filter, sort, pages (20 by default
// from API version 20240415).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { compareBy, parseSortList } from '../../http/filter.js';
import { readVersionedPage, settlePage } from '../../http/apiVersion.js';
import { pageLinks } from '../../http/links.js';
import { segmentFilter, segmentViews } from './listFilter.js';
import { listSegments, type LoadedSegment } from './model.js';
import { representSegment, segmentPath } from './represent.js';

const SORT_FIELDS = ['creationDate', 'name', 'lastModified', 'key'] as const;

function sortValue(segment: LoadedSegment, field: (typeof SORT_FIELDS)[number]): string | number {
  switch (field) {
    case 'name':
      return segment.doc.name.toLowerCase();
    case 'lastModified':
      return segment.doc.lastModifiedDate;
    case 'key':
      return segment.row.key;
    default:
      return segment.row.created_at;
  }
}

export function getSegments(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string }; Querystring: Record<string, unknown> }>('/api/v2/segments/:projectKey/:environmentKey', async (request) => {
    const query = request.query;
    // API version 20240415 paginated this list (20 a page); older versions get every segment unless `limit` is given.
    const requested = readVersionedPage(request, query, 20, 20240415);
    const keep = segmentFilter(query.filter);
    const sort = parseSortList(query.sort, SORT_FIELDS, 'creationDate');
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);

    const segments = await listSegments(deps.store.db, environment.id);
    // A `view` clause reads the views each segment is linked to (only then: it costs a query).
    const views = keep.namesViews ? await segmentViews(deps.store.db, environment.id) : undefined;
    const listed = segments.filter((segment) => keep(views ? { ...segment, views: views.get(segment.row.id) } : segment));
    const page = settlePage(requested, listed.length);
    // Ties are broken by key.
    listed.sort(compareBy([...sort, { field: 'key', descending: false }], sortValue));
    return {
      items: listed.slice(page.offset, page.offset + page.limit).map((segment) => representSegment(project.key, environment.key, segment)),
      _links: pageLinks(segmentPath(project.key, environment.key), page, listed.length, {
        filter: query.filter as string | undefined,
        sort: query.sort as string | undefined,
      }),
      totalCount: listed.length,
    };
  });
}
