// The Contexts API's lists (getContexts, searchContexts, getContextInstances, searchContextInstances): their
// parameters (query or body, not both), LaunchDarkly's filter fields, sorting by last seen with an opaque
// continuation token, and the only code that renders Contexts and ContextInstances.
import { validationFailed } from '../../http/errors.js';
import { filterMatches, parseBooleanParam, parseFilterTree, type FilterClause, type FilterFields, type FilterOperator, type FilterTree } from '../../http/filter.js';
import { link, siteLink } from '../../http/links.js';
import { compareText } from '../../store/reads.js';
import { valueAt } from './attributes.js';
import { instanceIdOf, type KindKey } from './instances.js';
import type { StoredInstance } from './records.js';

const LIMIT = { default: 20, max: 50 };

/** One context (a kind and key) as one application sent it: a record of getContexts and searchContexts. */
export interface ContextView {
  kind: string;
  key: string;
  applicationId: string;
  /** Its attributes (with `kind`), as last seen. */
  context: Record<string, unknown>;
  lastSeen: number;
  /** The other contexts it was seen with in multi-contexts, as kind:key. */
  associated: Set<string>;
  /** Orders records of the same time. */
  order: string;
  /** The instance (rowId) its attributes come from. */
  from: string;
}

/** A kind's context alone, from an instance's (single or multi) context. */
function partOf(context: Record<string, unknown>, kind: string): Record<string, unknown> {
  if (context.kind !== 'multi') return context;
  return { kind, ...(context[kind] as Record<string, unknown>) };
}

const kindKey = ({ kind, key }: KindKey) => `${kind}:${key}`;

/** The contexts of instances, one per kind, key and application, each with its latest attributes. */
export function contextsOf(instances: readonly StoredInstance[], only?: KindKey): ContextView[] {
  const byContext = new Map<string, ContextView>();
  for (const instance of instances) {
    for (const part of instance.kinds) {
      if (only && (part.kind !== only.kind || part.key !== only.key)) continue;
      const id = `${kindKey(part)}\u0000${instance.applicationId}`;
      let view = byContext.get(id);
      if (!view) {
        view = { kind: part.kind, key: part.key, applicationId: instance.applicationId, context: {}, lastSeen: -Infinity, from: '', associated: new Set(), order: id };
        byContext.set(id, view);
      }
      // The latest instance's attributes; of instances seen at the same moment, always the same one.
      if (instance.lastSeen > view.lastSeen || (instance.lastSeen === view.lastSeen && instance.rowId > view.from)) {
        view.lastSeen = instance.lastSeen;
        view.from = instance.rowId;
        view.context = partOf(instance.context, part.kind);
      }
      for (const other of instance.kinds) if (other !== part) view.associated.add(kindKey(other));
    }
  }
  return [...byContext.values()];
}

// Filters (LaunchDarkly's "Filtering contexts and context instances").
const IDS: readonly FilterOperator[] = ['equals', 'notEquals', 'anyOf'];
const LISTS: readonly FilterOperator[] = ['equals', 'anyOf', 'contains'];
// The API reference lists equals, notEquals, exists, startsWith, before and after; the Contexts list's own
// examples also use anyOf (`organization.location anyOf ["Springfield","Midway"]`), and contains reads lists.
const ATTRIBUTES: readonly FilterOperator[] = ['equals', 'notEquals', 'exists', 'startsWith', 'before', 'after', 'anyOf', 'contains'];

export const CONTEXT_FIELDS: FilterFields = (field) => {
  switch (field) {
    case 'applicationId':
    case 'id':
    case 'kind':
    case 'kindKey':
      return IDS;
    case 'key':
      return [...IDS, 'startsWith'];
    case 'kinds':
    case 'kindKeys':
      return LISTS;
    case 'q':
      return ['equals'];
    case 'name':
      return ['equals', 'notEquals', 'exists', 'anyOf', 'startsWith'];
    default:
      // `kind.attribute`, `*.attribute`, or an attribute alone: of any kind (`location equals Springfield`).
      return /^[^.]+\.[^.]/.test(field) || !field.includes('.') ? ATTRIBUTES : undefined;
  }
};
export const INSTANCE_FIELDS: FilterFields = { applicationId: IDS, id: IDS, kinds: LISTS, kindKeys: LISTS };
/** What the GET lists' `filter` takes. */
export const APPLICATION_FIELD: FilterFields = { applicationId: IDS };

const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** A time from a filter or an attribute: epoch milliseconds, or a date string. */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const parsed = /^-?\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** Whether a value (an attribute, or a record's field) passes a clause. A missing value passes only notEquals and `exists false`. */
export function valuePasses(value: unknown, clause: FilterClause): boolean {
  const values = clause.values;
  const list = Array.isArray(value) ? value.map(text) : undefined;
  switch (clause.op) {
    case 'exists':
      return (value !== undefined) === (values[0]?.toLowerCase() !== 'false');
    case 'equals':
      if (value === undefined) return false;
      return list ? list.length === values.length && list.every((v, i) => v === values[i]) : values.length === 1 && text(value) === values[0];
    case 'notEquals':
      return !valuePasses(value, { ...clause, op: 'equals' });
    case 'anyOf':
      return list ? list.some((v) => values.includes(v)) : value !== undefined && values.includes(text(value));
    case 'contains':
      return list !== undefined && values.every((v) => list.includes(v));
    case 'startsWith':
      return typeof value === 'string' && value.startsWith(values[0] ?? '');
    case 'before':
    case 'after': {
      const [at, bound] = [timeOf(value), timeOf(values[0])];
      if (at === undefined || bound === undefined) return false;
      return clause.op === 'before' ? at < bound : at > bound;
    }
    default:
      return false;
  }
}

/** `q`: the key or a string attribute holds the text, without case. */
function fuzzy(context: Record<string, unknown>, key: string, needle: string): boolean {
  const wanted = needle.toLowerCase();
  return key.toLowerCase().includes(wanted) || Object.entries(context).some(([name, v]) => name !== 'kind' && typeof v === 'string' && v.toLowerCase().includes(wanted));
}

export function contextPasses(clause: FilterClause, view: ContextView): boolean {
  const pair = kindKey(view);
  switch (clause.field) {
    case 'applicationId':
      return valuePasses(view.applicationId, clause);
    case 'id':
      return valuePasses(instanceIdOf([view]), clause);
    case 'kind':
      return valuePasses(view.kind, clause);
    case 'key':
      return valuePasses(view.key, clause);
    case 'kindKey':
      return valuePasses(pair, clause);
    case 'kinds':
      return setPasses([view.kind], clause);
    case 'kindKeys':
      return setPasses([pair], clause);
    case 'q':
      return clause.values.some((needle) => fuzzy(view.context, view.key, needle));
    case 'name':
      return valuePasses(view.context.name, clause);
    default: {
      // `kind.attribute` of another kind: the attribute is missing. An attribute alone is of any kind.
      const dot = clause.field.indexOf('.');
      const [kind, path] = dot < 0 ? ['*', clause.field] : [clause.field.slice(0, dot), clause.field.slice(dot + 1)];
      return valuePasses(kind === '*' || kind === view.kind ? valueAt(view.context, path) : undefined, clause);
    }
  }
}

export function instancePasses(clause: FilterClause, instance: StoredInstance): boolean {
  switch (clause.field) {
    case 'applicationId':
      return valuePasses(instance.applicationId, clause);
    case 'id':
      return valuePasses(instance.instanceId, clause);
    case 'kinds':
      return setPasses(instance.kinds.map((k) => k.kind), clause);
    default:
      return setPasses(instance.kinds.map(kindKey), clause);
  }
}

/** `kinds` and `kindKeys` are sets: `equals ["user","org"]` is the same as `equals ["org","user"]`. */
function setPasses(members: string[], clause: FilterClause): boolean {
  return valuePasses([...members].sort(), { ...clause, values: [...clause.values].sort() });
}

/** A list request's parameters: from the query, or (searches) the body; one named in both is a 400. */
export interface ListParams {
  filter: FilterTree | undefined;
  /** Its text, for the links. */
  filterText: string | undefined;
  descending: boolean;
  limit: number;
  after: { at: number; order: string } | undefined;
  continuationToken: string | undefined;
  includeTotalCount: boolean;
}

const PARAMETERS = ['filter', 'sort', 'limit', 'continuationToken'] as const;

/** A search's body (ContextSearch, ContextInstanceSearch): an object, or none (a JSON `null` is not none). */
export function readSearchBody(body: unknown): Record<string, unknown> {
  if (body === undefined || body === '') return {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw validationFailed([{ attribute: 'body', reason: 'must be an object with filter, sort, limit and continuationToken (each optional)' }]);
  return body as Record<string, unknown>;
}

export function readListParams(query: Record<string, unknown>, body: unknown, fields: FilterFields): ListParams {
  const fromBody = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const both = PARAMETERS.filter((name) => query[name] !== undefined && query[name] !== '' && fromBody[name] !== undefined);
  if (both.length > 0) {
    throw validationFailed(both.map((name) => ({ attribute: name, reason: 'give it in the query or in the body, not both' })));
  }
  const pick = (name: (typeof PARAMETERS)[number]) => (fromBody[name] !== undefined ? { value: fromBody[name], where: `body.${name}` } : { value: query[name], where: name });
  const errors: { attribute: string; reason: string }[] = [];

  const filter = pick('filter');
  if (filter.value !== undefined && typeof filter.value !== 'string') errors.push({ attribute: filter.where, reason: 'must be a string' });
  const sort = pick('sort');
  const sortText = sort.value === undefined || sort.value === '' ? '-ts' : typeof sort.value === 'string' ? sort.value.trim() : undefined;
  if (sortText !== 'ts' && sortText !== '-ts') errors.push({ attribute: sort.where, reason: `must be ts (oldest first) or -ts (most recent first), not ${JSON.stringify(sort.value)}` });
  const limit = pick('limit');
  let size = LIMIT.default;
  if (limit.value !== undefined && limit.value !== '') {
    const n = typeof limit.value === 'number' ? limit.value : typeof limit.value === 'string' && /^\s*\d+\s*$/.test(limit.value) ? Number(limit.value) : NaN;
    if (!Number.isInteger(n) || n < 1) errors.push({ attribute: limit.where, reason: `must be an integer from 1 to ${LIMIT.max}` });
    else size = Math.min(n, LIMIT.max);
  }
  const token = pick('continuationToken');
  let after: ListParams['after'];
  if (token.value !== undefined && token.value !== '') {
    after = decodeToken(token.value);
    if (!after) errors.push({ attribute: token.where, reason: 'is not a continuation token this list gave' });
  }
  if (errors.length > 0) throw validationFailed(errors);
  const filterText = typeof filter.value === 'string' && filter.value.trim() !== '' ? filter.value : undefined;
  return {
    filter: parseFilterTree(filterText, fields, { colonForm: true }),
    filterText,
    descending: sortText === '-ts',
    limit: size,
    after,
    continuationToken: typeof token.value === 'string' && token.value !== '' ? token.value : undefined,
    includeTotalCount: parseBooleanParam(query.includeTotalCount, 'includeTotalCount') ?? true,
  };
}

function encodeToken(at: number, order: string): string {
  return Buffer.from(JSON.stringify([at, order]), 'utf8').toString('base64url');
}

function decodeToken(value: unknown): ListParams['after'] {
  if (typeof value !== 'string') return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'number' && typeof parsed[1] === 'string') return { at: parsed[0], order: parsed[1] };
  } catch {
    // Not one of ours: the caller says so.
  }
  return undefined;
}

/** The matching items in time order (ts or -ts), the page after the token, and the total. */
export function page<T>(items: readonly T[], params: ListParams, passes: (clause: FilterClause, item: T) => boolean, keyOf: (item: T) => { at: number; order: string }) {
  const direction = params.descending ? -1 : 1;
  const compare = (a: { at: number; order: string }, b: { at: number; order: string }) =>
    direction * (a.at - b.at || compareText(a.order, b.order));
  const matching = items.filter((item) => filterMatches(params.filter, item, passes)).sort((a, b) => compare(keyOf(a), keyOf(b)));
  const start = params.after ? matching.findIndex((item) => compare(keyOf(item), params.after!) > 0) : 0;
  const from = start < 0 ? matching.length : start;
  const shown = matching.slice(from, from + params.limit);
  const last = shown[shown.length - 1];
  const next = from + params.limit < matching.length && last !== undefined ? encodeToken(keyOf(last).at, keyOf(last).order) : undefined;
  return { shown, total: matching.length, next };
}

/** The collection's envelope: `_links` (self, next), `totalCount` unless asked not to, `continuationToken` of the next page. */
export function collection(path: string, environmentId: string, params: ListParams, result: { shown: unknown[]; total: number; next: string | undefined }, items: unknown[]): Record<string, unknown> {
  const href = (token: string | undefined) => {
    const q = new URLSearchParams();
    if (params.filterText !== undefined) q.set('filter', params.filterText);
    q.set('sort', params.descending ? '-ts' : 'ts');
    q.set('limit', String(params.limit));
    if (token !== undefined) q.set('continuationToken', token);
    return link(`${path}?${q.toString()}`);
  };
  const out: Record<string, unknown> = { _links: { self: href(params.continuationToken), ...(result.next ? { next: href(result.next) } : {}) } };
  if (params.includeTotalCount) out.totalCount = result.total;
  out._environmentId = environmentId;
  if (result.next) out.continuationToken = result.next;
  out.items = items;
  return out;
}

export interface Where {
  projectKey: string;
  environmentKey: string;
}

const base = (w: Where) => `/api/v2/projects/${w.projectKey}/environments/${w.environmentKey}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** ContextRecord. */
export function representContext(w: Where, view: ContextView): Record<string, unknown> {
  const path = `${base(w)}/contexts/${encodeURIComponent(view.kind)}/${encodeURIComponent(view.key)}`;
  return {
    lastSeen: iso(view.lastSeen),
    ...(view.applicationId !== '' ? { applicationId: view.applicationId } : {}),
    context: view.context,
    associatedContexts: view.associated.size,
    _links: {
      parent: link(base(w)),
      self: link(view.applicationId !== '' ? `${path}?filter=${encodeURIComponent(`applicationId equals ${JSON.stringify(view.applicationId)}`)}` : path),
      site: siteLink(`/${w.projectKey}/${w.environmentKey}/contexts/context/${encodeURIComponent(view.kind)}/${encodeURIComponent(view.key)}`),
    },
  };
}

/** ContextInstanceRecord. */
export function representInstance(w: Where, instance: StoredInstance): Record<string, unknown> {
  return {
    lastSeen: iso(instance.lastSeen),
    id: instance.instanceId,
    ...(instance.applicationId !== '' ? { applicationId: instance.applicationId } : {}),
    ...(instance.anonymousKinds.length > 0 ? { anonymousKinds: instance.anonymousKinds } : {}),
    context: instance.context,
    _links: {
      parent: link(base(w)),
      self: link(`${base(w)}/context-instances/${instance.instanceId}`),
      site: siteLink(`/${w.projectKey}/${w.environmentKey}/contexts/instances/${instance.instanceId}`),
    },
  };
}

export const contextKey = (view: ContextView) => ({ at: view.lastSeen, order: view.order });
export const instanceKey = (instance: StoredInstance) => ({ at: instance.lastSeen, order: instance.rowId });
export const listPath = base;
