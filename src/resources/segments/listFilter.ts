// The segment list's filter (LaunchDarkly's grouped syntax: `tags anyOf ["a"],query equals "x"`, `|` for or): each
// field's test of a segment. getSegments filters its list with it, and a view links the segments it picks
// (linkResource's `filter`).
import { validationFailed } from '../../http/errors.js';
import { filterBoolean, filterClauses, filterMatches, parseFilterTree, type FilterClause } from '../../http/filter.js';
import type { Db, Trx } from '../../store/db.js';
import type { SegmentDoc, SegmentRow } from './model.js';

/** A segment as the filter reads it; `views`, the keys of the views it is linked to, when the filter names a view. */
interface Filtered {
  row: Pick<SegmentRow, 'key'>;
  doc: SegmentDoc;
  views?: ReadonlySet<string>;
}

const SEGMENT_FILTER_FIELDS = {
  excludedKeys: ['anyOf'],
  includedKeys: ['anyOf'],
  external: ['exists'],
  query: ['equals'],
  tags: ['anyOf'],
  unbounded: ['equals'],
  view: ['equals', 'anyOf'],
} as const;

/** Whether a segment passes one clause. Big segments are `unbounded`; none is synced from outside (`external`). */
function passes(clause: FilterClause, segment: Filtered): boolean {
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
      return (doc.unbounded === true) === filterBoolean(clause);
    case 'view':
      return clause.values.some((view) => segment.views?.has(view) ?? false);
    default:
      throw validationFailed([{ attribute: 'filter', reason: `unknown filter field "${clause.field}"` }]);
  }
}

/**
 * A segment filter, parsed and its values checked (a 400 naming `filter` otherwise); a test of a segment.
 * `namesViews`: the filter has a `view` clause, so the segments it tests must carry their `views` (segmentViews).
 */
export function segmentFilter(raw: unknown): ((segment: Filtered) => boolean) & { namesViews: boolean } {
  const tree = parseFilterTree(raw, SEGMENT_FILTER_FIELDS);
  const clauses = filterClauses(tree);
  for (const clause of clauses) if (clause.field === 'external' || clause.field === 'unbounded') filterBoolean(clause);
  return Object.assign((segment: Filtered) => filterMatches(tree, segment, passes), { namesViews: clauses.some((clause) => clause.field === 'view') });
}

/** The keys of the views each segment of the environment is linked to (segments linked to none are left out). */
export async function segmentViews(db: Db | Trx, environmentId: string): Promise<Map<string, Set<string>>> {
  const rows = await db
    .selectFrom('view_segments')
    .innerJoin('segments', 'segments.id', 'view_segments.segment_id')
    .innerJoin('views', 'views.id', 'view_segments.view_id')
    .select(['view_segments.segment_id as segmentId', 'views.key as viewKey'])
    .where('segments.environment_id', '=', environmentId)
    .execute();
  const out = new Map<string, Set<string>>();
  for (const { segmentId, viewKey } of rows) {
    const keys = out.get(segmentId) ?? new Set<string>();
    keys.add(viewKey);
    out.set(segmentId, keys);
  }
  return out;
}
