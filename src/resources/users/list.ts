// The Users API's lists (getUsers, getSearchUsers): their query parameters, the legacy user search (`q`, `filter`,
// `after`), the order (`sort` by userKey or lastSeen; by key when none is asked) and paging after the sort value
// of the last user shown (`searchAfter`, which the `next` link carries) or, deprecated, by `offset`.
import { validationFailed } from '../../http/errors.js';
import { parseEpochMillisParam, parseFilter, parseSort, queryText } from '../../http/filter.js';
import { readPage } from '../../http/links.js';
import { compareText } from '../../store/reads.js';
import { valuePasses, type ContextView } from '../contexts/search.js';
import { userAttribute, userOf } from './represent.js';

const LIMIT = { default: 20, max: 50 };
const SORT_FIELDS = ['userKey', 'lastSeen'] as const;
type SortField = (typeof SORT_FIELDS)[number];

/** Where a page starts: after this key, or (sorted by lastSeen) after this time and, at that time, this key. */
interface Cursor {
  at?: number;
  key?: string;
}

interface UserListParams {
  q: string | undefined;
  /** `filter`'s attribute:value pairs, and its text for the links. */
  filter: Map<string, string>;
  filterText: string | undefined;
  after: number | undefined;
  sort: { field: SortField; descending: boolean } | undefined;
  searchAfter: string | undefined;
  cursor: Cursor | undefined;
  limit: number;
  offset: number;
}

/**
 * A list's parameters: getUsers takes `limit` and `searchAfter`; getSearchUsers also `q`, `filter`, `after`,
 * `sort` and `offset`. A bad value is a 400 naming it.
 */
export function readUserListParams(query: Record<string, unknown>, search: boolean): UserListParams {
  const { limit, offset } = readPage({ limit: query.limit, ...(search ? { offset: query.offset } : {}) }, LIMIT.default, LIMIT.max);
  const sortText = search ? queryText(query.sort) : undefined;
  const sort = sortText === undefined ? undefined : (parseSort(sortText, SORT_FIELDS, 'userKey') as UserListParams['sort']);
  const filterText = search ? queryText(query.filter) : undefined;
  const searchAfter = queryText(query.searchAfter);
  return {
    q: search ? queryText(query.q) : undefined,
    filter: parseFilter(filterText, 'any'),
    filterText,
    after: search ? parseEpochMillisParam(query.after, 'after') : undefined,
    sort,
    searchAfter,
    cursor: searchAfter === undefined ? undefined : readCursor(searchAfter, sort?.field ?? 'userKey'),
    limit,
    offset,
  };
}

/** `searchAfter`: a user key, or (sorted by lastSeen) a time in milliseconds, as `sortValue` gives it, or `time:key`. */
function readCursor(text: string, field: SortField): Cursor {
  if (field === 'userKey') return { key: text };
  const match = /^(-?\d{1,16})(?::([\s\S]*))?$/.exec(text);
  if (!match) throw validationFailed([{ attribute: 'searchAfter', reason: `with sort=lastSeen, must be a Unix time in milliseconds (a user's sortValue), not "${text}"` }]);
  return { at: Number(match[1]), ...(match[2] !== undefined ? { key: match[2] } : {}) };
}

/** `q`: the user's key, name, first name, last name or email holds the text, without case. */
function matchesQuery(user: Record<string, unknown>, q: string): boolean {
  const wanted = q.toLowerCase();
  return ['key', 'name', 'firstName', 'lastName', 'email'].some((name) => typeof user[name] === 'string' && (user[name] as string).toLowerCase().includes(wanted));
}

/** Whether a user passes `after` (seen then or since), `q`, and every `filter` attribute (a list: any element). */
function passes(view: ContextView, params: UserListParams): boolean {
  if (params.after !== undefined && view.lastSeen < params.after) return false;
  if (params.q === undefined && params.filter.size === 0) return true;
  const user = userOf(view.context);
  if (params.q !== undefined && !matchesQuery(user, params.q)) return false;
  for (const [name, value] of params.filter) if (!valuePasses(userAttribute(user, name), { field: name, op: 'anyOf', values: [value] })) return false;
  return true;
}

/** A user's place against a cursor in the list's order: above 0 after it. */
function position(view: ContextView, cursor: Cursor, params: UserListParams): number {
  const ascending = params.sort?.field === 'lastSeen' ? view.lastSeen - cursor.at! || (cursor.key === undefined ? 0 : compareText(view.key, cursor.key)) : compareText(view.key, cursor.key!);
  return params.sort?.descending ? -ascending : ascending;
}

function cursorOf(view: ContextView, params: UserListParams): string {
  return params.sort?.field === 'lastSeen' ? `${view.lastSeen}:${view.key}` : view.key;
}

/** The matching users in order, the page after the cursor (and offset), how many match, and the next page's cursor. */
export function pageUsers(users: readonly ContextView[], params: UserListParams): { shown: ContextView[]; total: number; next: string | undefined } {
  const byTime = params.sort?.field === 'lastSeen';
  const direction = params.sort?.descending ? -1 : 1;
  const matching = users
    .filter((view) => passes(view, params))
    .sort((a, b) => direction * ((byTime ? a.lastSeen - b.lastSeen : 0) || compareText(a.key, b.key)));
  let start = params.cursor ? matching.findIndex((view) => position(view, params.cursor!, params) > 0) : 0;
  if (start < 0) start = matching.length;
  start += params.offset;
  const shown = matching.slice(start, start + params.limit);
  const next = start + params.limit < matching.length ? cursorOf(shown[shown.length - 1], params) : undefined;
  return { shown, total: matching.length, next };
}

/** A user's `sortValue`, when the list was sorted by `sort`: its key, or the time it was last seen. */
export function sortValueOf(view: ContextView, params: UserListParams): string | number | undefined {
  if (!params.sort) return undefined;
  return params.sort.field === 'lastSeen' ? view.lastSeen : view.key;
}

/** A list's href with its parameters in name order (as LaunchDarkly writes them); `searchAfter` as given. */
export function listHref(path: string, params: UserListParams, searchAfter: string | undefined, withOffset: boolean): string {
  const q = new URLSearchParams();
  if (params.after !== undefined) q.set('after', String(params.after));
  if (params.filterText !== undefined) q.set('filter', params.filterText);
  q.set('limit', String(params.limit));
  if (withOffset && params.offset > 0) q.set('offset', String(params.offset));
  if (params.q !== undefined) q.set('q', params.q);
  if (searchAfter !== undefined) q.set('searchAfter', searchAfter);
  if (params.sort) q.set('sort', `${params.sort.descending ? '-' : ''}${params.sort.field}`);
  return `${path}?${q.toString()}`;
}
