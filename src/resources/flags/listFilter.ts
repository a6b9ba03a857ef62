// The flag list's filter (`filter=field:value,field:value`): each field's test of a flag. getFeatureFlags filters its
// list with it, and a view links the flags it picks (linkResource's `filter`).
import { validationFailed } from '../../http/errors.js';
import { parseBooleanParam, parseFilter } from '../../http/filter.js';
import { AI_CONFIG_PURPOSE, type FlagDoc, type FlagRow } from './model.js';

/** The fields the flag list's `filter=field:value,...` takes (what a view's link-by-filter takes for flags, too). */
export const FLAG_FILTER_FIELDS = ['query', 'tags', 'archived', 'state', 'purpose', 'type', 'maintainerId', 'maintainerTeamKey', 'sdkAvailability', 'creationDate', 'filterEnv'];

/** A flag as the filter reads it. */
interface ListedFlag {
  row: Pick<FlagRow, 'key' | 'name'>;
  doc: FlagDoc;
}

type FlagPredicate = (flag: ListedFlag) => boolean;

function bad(reason: string): never {
  throw validationFailed([{ attribute: 'filter', reason }]);
}

/** `a+b` (a `+` arrives as a space when the client did not encode it) -> [a, b]. */
function terms(value: string): string[] {
  return value.split(/[+ ]/).map((t) => t.trim()).filter(Boolean);
}

/** `purpose:all+!(holdout)` (as ldcli sends it): `all` or listed purposes are kept, `!(x)` are dropped. */
function purposeFilter(value: string): FlagPredicate {
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

function stateFilter(state: string): FlagPredicate {
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

function sdkAvailabilityFilter(value: string): FlagPredicate {
  const sdk = ({ doc }: ListedFlag) => doc.clientSideAvailability;
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

function creationDateFilter(value: string): FlagPredicate {
  let range: { before?: unknown; after?: unknown };
  try {
    range = JSON.parse(value) as { before?: unknown; after?: unknown };
  } catch {
    return bad(`creationDate must be a JSON object such as {"before":1690527600000}, not ${value}`);
  }
  if (range === null || typeof range !== 'object' || Array.isArray(range)) {
    return bad(`creationDate must be a JSON object such as {"before":1690527600000}, not ${value}`);
  }
  const unknown = Object.keys(range).find((member) => member !== 'before' && member !== 'after');
  if (unknown !== undefined) return bad(`creationDate takes "before" and "after" (Unix times in milliseconds), not "${unknown}"`);
  const { before, after } = range;
  if ((before !== undefined && typeof before !== 'number') || (after !== undefined && typeof after !== 'number')) {
    return bad('creationDate before/after must be Unix times in milliseconds');
  }
  return ({ doc }) => (before === undefined || doc.creationDate < before) && (after === undefined || doc.creationDate > after);
}

/** The list's `tag` parameter: one tag, or several repeated or comma-separated (a tag has no comma), each required. */
function tagParam(raw: unknown): string[] {
  const values = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return values.flatMap((value) => String(value).split(',')).map((tag) => tag.trim()).filter(Boolean);
}

function archivedValue(value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  return bad(`archived must be true or false, not "${value}"`);
}

/**
 * What a flag must pass for `filter` (parsed with FLAG_FILTER_FIELDS) and the list's own `tag` and `archived` query
 * parameters; without an archived or state filter, archived flags are left out, as LaunchDarkly does.
 */
export function flagPredicates(query: Record<string, unknown>, filter: Map<string, string>): FlagPredicate[] {
  const out: FlagPredicate[] = [];
  const text = filter.get('query')?.toLowerCase();
  if (text) out.push(({ row }) => row.key.toLowerCase().includes(text) || row.name.toLowerCase().includes(text));
  const tags = [...terms(filter.get('tags') ?? ''), ...tagParam(query.tag)];
  if (tags.length > 0) out.push(({ doc }) => tags.every((tag) => doc.tags.includes(tag)));
  const state = filter.get('state');
  const archived = filter.has('archived') ? archivedValue(filter.get('archived')!) : parseBooleanParam(query.archived, 'archived');
  if (state) out.push(stateFilter(state));
  if (archived !== undefined) out.push(({ doc }) => doc.archived === archived);
  // Without an archived or state filter, archived flags are left out, as LaunchDarkly does.
  if (!state && archived === undefined) out.push(({ doc }) => !doc.archived);
  const purpose = filter.get('purpose');
  if (purpose) out.push(purposeFilter(purpose));
  // An AI Config's flag is listed as the AI Config (src/resources/ai-configs), not among the flags.
  out.push(({ doc }) => doc.purpose !== AI_CONFIG_PURPOSE);
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

/** A filter as the flag list takes it (without the list's own query parameters), as one test of a flag. */
export function flagFilter(raw: string): (flag: ListedFlag) => boolean {
  const keep = flagPredicates({}, parseFilter(raw, FLAG_FILTER_FIELDS));
  return (flag) => keep.every((passes) => passes(flag));
}
