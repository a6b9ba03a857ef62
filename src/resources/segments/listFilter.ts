// The segment list's filter (LaunchDarkly's grouped syntax: `tags anyOf ["a"],query equals "x"`, `|` for or): each
// field's test of a segment. getSegments filters its list with it, and a view links the segments it picks
// (linkResource's `filter`).
import { validationFailed } from '../../http/errors.js';
import { filterBoolean, filterClauses, filterMatches, parseFilterTree, type FilterClause } from '../../http/filter.js';
import type { SegmentDoc, SegmentRow } from './model.js';

/** A segment as the filter reads it. */
interface Filtered {
  row: Pick<SegmentRow, 'key'>;
  doc: SegmentDoc;
}

const SEGMENT_FILTER_FIELDS = {
  excludedKeys: ['anyOf'],
  includedKeys: ['anyOf'],
  external: ['exists'],
  query: ['equals'],
  tags: ['anyOf'],
  unbounded: ['equals'],
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
    default:
      throw validationFailed([{ attribute: 'filter', reason: `unknown filter field "${clause.field}"` }]);
  }
}

/** A segment filter, parsed and its values checked (a 400 naming `filter` otherwise); a test of a segment. */
export function segmentFilter(raw: unknown): (segment: Filtered) => boolean {
  const tree = parseFilterTree(raw, SEGMENT_FILTER_FIELDS);
  for (const clause of filterClauses(tree)) if (clause.field === 'external' || clause.field === 'unbounded') filterBoolean(clause);
  return (segment) => filterMatches(tree, segment, passes);
}
