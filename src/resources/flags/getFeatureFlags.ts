// GET /api/v2/flags/{projectKey} — list a project's flags: filter, sort, paging; environments only when asked for.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { parseBooleanParam, parseFilter, parseSort } from '../../http/filter.js';
import { pageLinks } from '../../http/links.js';
import { apiVersionOf, readVersionedPage, settlePage } from '../../http/apiVersion.js';
import type { MemberRow } from '../members/members.js';
import { findProject } from '../projects/projects.js';
import { flagsReleasedAlong } from '../releases/model.js';
import { listFlagRows, loadConfigs, type FlagDoc, type FlagRow } from './model.js';
import { representFlag } from './represent.js';
import { environmentsFor, maintainerOf, readEnvironmentKeys, withConfigs } from './scope.js';

const FILTER_FIELDS = ['query', 'tags', 'archived', 'state', 'purpose', 'type', 'maintainerId', 'maintainerTeamKey', 'sdkAvailability', 'creationDate', 'filterEnv', 'releasePipeline'];
const SORT_FIELDS = ['creationDate', 'key', 'name', 'maintainerId'];

interface Listed {
  row: FlagRow;
  doc: FlagDoc;
}

type Predicate = (flag: Listed) => boolean;

function bad(reason: string): never {
  throw validationFailed([{ attribute: 'filter', reason }]);
}

/** `a+b` (a `+` arrives as a space when the client did not encode it) -> [a, b]. */
function terms(value: string): string[] {
  return value.split(/[+ ]/).map((t) => t.trim()).filter(Boolean);
}

/** `purpose:all+!(holdout)` (as ldcli sends it): `all` or listed purposes are kept, `!(x)` are dropped. */
function purposeFilter(value: string): Predicate {
  const keep: string[] = [];
  const drop: string[] = [];
  for (const term of terms(value)) {
    const negated = /^!\(?([^()]+)\)?$/.exec(term);
    if (negated) drop.push(negated[1]);
    else keep.push(term);
  }
  return ({ doc }) => {
    const purpose = doc.purpose ?? 'none';
    if (drop.includes(purpose)) return false;
    return keep.length === 0 || keep.includes('all') || keep.includes(purpose);
  };
}

function stateFilter(state: string): Predicate {
  switch (state) {
    case 'live':
      return ({ doc }) => !doc.archived && !doc.deprecated;
    case 'deprecated':
      return ({ doc }) => !doc.archived && doc.deprecated;
    case 'archived':
      return ({ doc }) => doc.archived;
    default:
      return bad(`state must be live, deprecated or archived, not "${state}"`);
  }
}

function sdkAvailabilityFilter(value: string): Predicate {
  const sdk = ({ doc }: Listed) => doc.clientSideAvailability;
  switch (value) {
    case 'client':
      return (flag) => sdk(flag).usingEnvironmentId;
    case 'mobile':
      return (flag) => sdk(flag).usingMobileKey;
    case 'anyClient':
      return (flag) => sdk(flag).usingEnvironmentId || sdk(flag).usingMobileKey;
    case 'server':
      return (flag) => !sdk(flag).usingEnvironmentId && !sdk(flag).usingMobileKey;
    default:
      return bad(`sdkAvailability must be client, mobile, anyClient or server, not "${value}"`);
  }
}

function creationDateFilter(value: string): Predicate {
  let range: { before?: unknown; after?: unknown };
  try {
    range = JSON.parse(value) as { before?: unknown; after?: unknown };
  } catch {
    return bad(`creationDate must be a JSON object such as {"before":1690527600000}, not ${value}`);
  }
  const { before, after } = range ?? {};
  if ((before !== undefined && typeof before !== 'number') || (after !== undefined && typeof after !== 'number')) {
    return bad('creationDate before/after must be Unix times in milliseconds');
  }
  return ({ doc }) => (before === undefined || doc.creationDate < before) && (after === undefined || doc.creationDate > after);
}

function archivedValue(value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  return bad(`archived must be true or false, not "${value}"`);
}

function predicates(query: Record<string, unknown>, filter: Map<string, string>): Predicate[] {
  const out: Predicate[] = [];
  const text = filter.get('query')?.toLowerCase();
  if (text) out.push(({ row }) => row.key.toLowerCase().includes(text) || row.name.toLowerCase().includes(text));
  const tags = [...terms(filter.get('tags') ?? ''), ...(typeof query.tag === 'string' && query.tag ? [query.tag] : [])];
  if (tags.length > 0) out.push(({ doc }) => tags.every((tag) => doc.tags.includes(tag)));
  const state = filter.get('state');
  const archived = filter.has('archived') ? archivedValue(filter.get('archived')!) : parseBooleanParam(query.archived, 'archived');
  if (state) out.push(stateFilter(state));
  if (archived !== undefined) out.push(({ doc }) => doc.archived === archived);
  // Without an archived or state filter, archived flags are left out, as LaunchDarkly does.
  if (!state && archived === undefined) out.push(({ doc }) => !doc.archived);
  const purpose = filter.get('purpose');
  if (purpose) out.push(purposeFilter(purpose));
  const type = filter.get('type');
  if (type && type !== 'temporary' && type !== 'permanent') bad(`type must be temporary or permanent, not "${type}"`);
  if (type) out.push(({ doc }) => doc.temporary === (type === 'temporary'));
  const maintainerId = filter.get('maintainerId');
  if (maintainerId) out.push(({ doc }) => doc.maintainerId === maintainerId);
  const teamKey = filter.get('maintainerTeamKey');
  if (teamKey) out.push(({ doc }) => doc.maintainerTeamKey === teamKey);
  const sdk = filter.get('sdkAvailability');
  if (sdk) out.push(sdkAvailabilityFilter(sdk));
  const created = filter.get('creationDate');
  if (created) out.push(creationDateFilter(created));
  return out;
}

function compare(field: string): (a: Listed, b: Listed) => number {
  switch (field) {
    case 'key':
      return (a, b) => a.row.key.localeCompare(b.row.key);
    case 'name':
      return (a, b) => a.row.name.localeCompare(b.row.name) || a.row.key.localeCompare(b.row.key);
    case 'maintainerId':
      return (a, b) => (a.doc.maintainerId ?? '').localeCompare(b.doc.maintainerId ?? '') || a.row.key.localeCompare(b.row.key);
    default:
      return (a, b) => a.row.created_at - b.row.created_at || a.row.key.localeCompare(b.row.key);
  }
}

export function getFeatureFlags(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/flags/:projectKey', async (request) => {
    const db = deps.store.db;
    const query = request.query as Record<string, unknown>;
    // API version 20240415 paginated this list (20 a page) and returns environments only when an environment is named.
    const current = apiVersionOf(request) >= 20240415;
    const requested = readVersionedPage(request, query, 20, 20240415);
    const filter = parseFilter(query.filter, FILTER_FIELDS);
    const sort = parseSort(query.sort, SORT_FIELDS, 'creationDate');
    const summary = parseBooleanParam(query.summary, 'summary') ?? true;
    const keep = predicates(query, filter);
    const project = await findProject(db, request.params.projectKey);
    const pipelineKey = filter.get('releasePipeline');
    if (pipelineKey) {
      const released = await flagsReleasedAlong(db, project.id, pipelineKey);
      keep.push(({ row }) => released.has(row.id));
    }
    const envKeys = readEnvironmentKeys(query.env, filter.get('filterEnv'));
    const environments = envKeys || !current ? await environmentsFor(db, project, envKeys) : undefined;

    const flags = (await listFlagRows(db, project.id))
      .map((row) => ({ row, doc: JSON.parse(row.doc) as FlagDoc }))
      .filter((flag) => keep.every((p) => p(flag)))
      .sort(compare(sort.field));
    if (sort.descending) flags.reverse();
    const page = settlePage(requested, flags.length);
    const shown = flags.slice(page.offset, page.offset + page.limit);
    const configs = environments ? await loadConfigs(db, shown.map((f) => f.row.id), environments.map((e) => e.id)) : undefined;
    const members = new Map<string, MemberRow | undefined>();
    const items = [];
    for (const { row, doc } of shown) {
      if (doc.maintainerId && !members.has(doc.maintainerId)) members.set(doc.maintainerId, await maintainerOf(db, doc));
      items.push(
        representFlag(project.key, {
          key: row.key,
          doc,
          environments: environments && configs ? withConfigs(environments, configs.get(row.id) ?? new Map()) : undefined,
          maintainer: doc.maintainerId ? members.get(doc.maintainerId) : undefined,
          summaryOnly: summary,
        }),
      );
    }
    const carried = (name: string) => {
      const value = query[name];
      return value === undefined ? undefined : Array.isArray(value) ? value.join(',') : String(value);
    };
    return {
      items,
      totalCount: flags.length,
      _links: pageLinks(`/api/v2/flags/${project.key}`, page, flags.length, {
        env: carried('env'),
        tag: carried('tag'),
        archived: carried('archived'),
        summary: carried('summary'),
        filter: carried('filter'),
        sort: carried('sort'),
      }),
    };
  });
}
