// The views list's query: LaunchDarkly's filter on name, key, tag, maintainerId and isPayloadView (`,` and, `|` or,
// parentheses; names and keys without case), the sort on key (the default), name or updatedAt, and the page.
// getView takes the same parameters and checks them so.
import { validationFailed } from '../../http/errors.js';
import { compareBy, filterBoolean, filterClauses, filterMatches, parseFilterTree, parseSortList, type FilterClause, type FilterTree, type SortKey } from '../../http/filter.js';
import { readPage, type Page } from '../../http/links.js';
import { compareText } from '../../store/reads.js';
import { viewDoc, type ViewDoc, type ViewRow } from './model.js';

const TEXT_OPERATORS = ['equals', 'notEquals', 'startsWith', 'contains', 'anyOf'] as const;
const FILTER_FIELDS = { name: TEXT_OPERATORS, key: TEXT_OPERATORS, tag: ['equals', 'anyOf'], maintainerId: ['equals', 'anyOf'], isPayloadView: ['equals'] } as const;
const SORT_FIELDS = ['key', 'name', 'updatedAt'] as const;
type SortField = (typeof SORT_FIELDS)[number];

interface Listed {
  row: ViewRow;
  doc: ViewDoc;
}

/** Names and keys compare without case; tags and maintainer ids exactly; isPayloadView is generateSdkKeys. */
function passes(clause: FilterClause, { row, doc }: Listed): boolean {
  if (clause.field === 'isPayloadView') return doc.generateSdkKeys === filterBoolean(clause);
  if (clause.field === 'tag') return clause.values.some((tag) => doc.tags.includes(tag));
  if (clause.field === 'maintainerId') return doc.maintainerId !== undefined && clause.values.includes(doc.maintainerId);
  const text = (clause.field === 'name' ? row.name : row.key).toLowerCase();
  const wanted = clause.values.map((value) => value.toLowerCase());
  switch (clause.op) {
    case 'notEquals':
      return !wanted.includes(text);
    case 'startsWith':
      return wanted.some((prefix) => text.startsWith(prefix));
    case 'contains':
      return wanted.some((part) => text.includes(part));
    default:
      return wanted.includes(text);
  }
}

/** Each clause's values checked before any view is tested: one value with equals and notEquals, a boolean for isPayloadView. */
function checkClause(clause: FilterClause): void {
  if (clause.field === 'isPayloadView') filterBoolean(clause);
  if ((clause.op === 'equals' || clause.op === 'notEquals') && clause.values.length !== 1) {
    throw validationFailed([{ attribute: 'filter', reason: `the field "${clause.field}" takes one value with ${clause.op}; use anyOf for several` }]);
  }
}

function sortValue({ row, doc }: Listed, field: SortField): string | number {
  if (field === 'name') return row.name.toLowerCase();
  if (field === 'updatedAt') return doc.updatedAt;
  return row.key;
}

interface ViewListQuery {
  page: Page;
  filter: FilterTree | undefined;
  sort: SortKey<SortField>[];
}

/** The list's page, filter and sort, each a 400 naming it when it is not one LaunchDarkly documents. */
export function readViewListQuery(query: Record<string, unknown>): ViewListQuery {
  const page = readPage(query, 20);
  const filter = parseFilterTree(query.filter, FILTER_FIELDS, { colonForm: true });
  for (const clause of filterClauses(filter)) checkClause(clause);
  return { page, filter, sort: parseSortList(query.sort, SORT_FIELDS, 'key') };
}

/** The views that pass the filter, in the sort's order (ties by key). */
export function filterAndSort(rows: readonly ViewRow[], { filter, sort }: ViewListQuery): ViewRow[] {
  const listed = rows.map((row) => ({ row, doc: viewDoc(row) })).filter((view) => filterMatches(filter, view, passes));
  const byFields = compareBy<Listed, SortField>(sort, sortValue);
  return listed.sort((a, b) => byFields(a, b) || compareText(a.row.key, b.row.key)).map((view) => view.row);
}
