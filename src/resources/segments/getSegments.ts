// GET /api/v2/segments/{projectKey}/{environmentKey} — list an environment's segments: filter, sort, pages (20 by default
// from API version 20240415).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { compareBy, filterBoolean, filterClauses, filterMatches, parseFilterTree, parseSortList, type FilterClause } from '../../http/filter.js';
import { validationFailed } from '../../http/errors.js';
import { readVersionedPage, settlePage } from '../../http/apiVersion.js';
import { pageLinks } from '../../http/links.js';
import { listSegments, type LoadedSegment } from './model.js';
import { representSegment, segmentPath } from './represent.js';

const FILTER_FIELDS = {
  excludedKeys: ['anyOf'],
  includedKeys: ['anyOf'],
  external: ['exists'],
  query: ['equals'],
  tags: ['anyOf'],
  unbounded: ['equals'],
} as const;

const SORT_FIELDS = ['creationDate', 'name', 'lastModified', 'key'] as const;

/** Whether a segment passes one clause. iterlab's segments are all standard ones, none synced from outside. */
function passes(clause: FilterClause, segment: LoadedSegment): boolean {
  const { row, doc } = segment;
  switch (clause.field) {
    case 'excludedKeys':
      return !clause.values.includes(row.key);
    case 'includedKeys':
      return clause.values.includes(row.key);
    case 'external':
      return !filterBoolean(clause);
    case 'query': {
      const needles = clause.values.map((v) => v.toLowerCase());
      const haystack = [row.key, doc.name, doc.description ?? ''].map((text) => text.toLowerCase());
      return needles.some((needle) => haystack.some((text) => text.includes(needle)));
    }
    case 'tags':
      return doc.tags.some((tag) => clause.values.includes(tag));
    case 'unbounded':
      return !filterBoolean(clause);
    default:
      throw validationFailed([{ attribute: 'filter', reason: `unknown filter field "${clause.field}"` }]);
  }
}

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
    const filter = parseFilterTree(query.filter, FILTER_FIELDS);
    for (const clause of filterClauses(filter)) if (clause.field === 'external' || clause.field === 'unbounded') filterBoolean(clause);
    const sort = parseSortList(query.sort, SORT_FIELDS, 'creationDate');
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);

    const listed = (await listSegments(deps.store.db, environment.id)).filter((segment) => filterMatches(filter, segment, passes));
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
