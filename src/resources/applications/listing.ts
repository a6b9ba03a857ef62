// What the two lists (applications, an application's versions) share: LaunchDarkly's filter on key, name and autoAdded
// (not case-sensitive; `,` and, `|` or, parentheses), with each list's own fields, the sort on name and creationDate,
// and the page.
import { validationFailed } from '../../http/errors.js';
import { compareBy, filterBoolean, filterClauses, filterMatches, parseFilterTree, parseSortList, type FilterClause, type FilterOperator } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { compareText } from '../../store/reads.js';

/** An item as the lists filter and sort it. */
export interface Listable {
  key: string;
  name: string;
  autoAdded: boolean;
  creationDate: number;
  /** The list's own fields (kind, supported), as the filter reads them. */
  fields: Record<string, string | boolean>;
}

/** The fields a filter may name with their operators, and the values of any that take only a few. */
export interface ListFields {
  operators: Record<string, readonly FilterOperator[]>;
  choices: Record<string, readonly string[]>;
}

const COMMON_OPERATORS = {
  key: ['equals', 'notEquals', 'anyOf'],
  name: ['equals', 'notEquals', 'anyOf', 'startsWith'],
  autoAdded: ['equals', 'notEquals'],
} as const satisfies Record<string, readonly FilterOperator[]>;

const BOOLEAN_FIELDS = new Set(['autoAdded', 'supported']);

function passes(clause: FilterClause, item: Listable): boolean {
  const value = clause.field === 'key' ? item.key : clause.field === 'name' ? item.name : clause.field === 'autoAdded' ? item.autoAdded : item.fields[clause.field];
  const text = String(value).toLowerCase();
  const wanted = BOOLEAN_FIELDS.has(clause.field) ? [String(filterBoolean(clause))] : clause.values.map((v) => v.toLowerCase());
  switch (clause.op) {
    case 'equals':
    case 'anyOf':
      return wanted.includes(text);
    case 'notEquals':
      return !wanted.includes(text);
    case 'startsWith':
      return wanted.some((prefix) => text.startsWith(prefix));
    default:
      throw validationFailed([{ attribute: 'filter', reason: `the operator "${clause.op}" is not supported` }]);
  }
}

/** Each clause's values checked before any item is tested: a boolean field's, and those of a field of few values. */
function checkClause(clause: FilterClause, choices: Record<string, readonly string[]>): void {
  if (BOOLEAN_FIELDS.has(clause.field)) filterBoolean(clause);
  if ((clause.op === 'equals' || clause.op === 'notEquals') && clause.values.length !== 1) {
    throw validationFailed([{ attribute: 'filter', reason: `the field "${clause.field}" takes one value with ${clause.op}; use anyOf for several` }]);
  }
  const allowed = choices[clause.field];
  const wrong = allowed ? clause.values.find((v) => !allowed.includes(v.toLowerCase())) : undefined;
  if (wrong !== undefined) throw validationFailed([{ attribute: 'filter', reason: `the field "${clause.field}" takes ${allowed!.join(', ')}, not "${wrong}"` }]);
}

const SORT_FIELDS = ['creationDate', 'name'] as const;

/**
 * The page of `items` the query asks for (filter, sort: oldest first unless told, ties by key; limit and offset),
 * with the collection's `_links` and `totalCount`; `render` turns an item of the page into its representation.
 */
export async function listPage<T extends Listable>(
  query: Record<string, unknown>,
  path: string,
  fields: ListFields,
  defaultLimit: number,
  load: () => Promise<T[]>,
  render: (page: T[]) => Promise<unknown[]> | unknown[],
  extraParams: Record<string, string | undefined> = {},
): Promise<{ _links: unknown; items: unknown[]; totalCount: number }> {
  const page = readPage(query, defaultLimit);
  const filter = parseFilterTree(query.filter, { ...COMMON_OPERATORS, ...fields.operators });
  for (const clause of filterClauses(filter)) checkClause(clause, fields.choices);
  const sort = parseSortList(query.sort, SORT_FIELDS, 'creationDate');
  const listed = (await load()).filter((item) => filterMatches(filter, item, passes));
  const byFields = compareBy<T, (typeof SORT_FIELDS)[number]>(sort, (item, field) => (field === 'name' ? item.name.toLowerCase() : item.creationDate));
  listed.sort((a, b) => byFields(a, b) || compareText(a.key, b.key));
  const items = await render(listed.slice(page.offset, page.offset + page.limit));
  return {
    _links: pageLinks(path, page, listed.length, { filter: query.filter as string | undefined, sort: query.sort as string | undefined, ...extraParams }),
    items,
    totalCount: listed.length,
  };
}
