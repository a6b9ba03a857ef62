// A flag's status in an environment (new, active, inactive, launched) from its targeting and from when the SDKs last
// evaluated it; the FlagStatusRep and FeatureFlagStatus representations: the only code that builds them.
import { link } from '../../http/links.js';
import type { Db } from '../../store/db.js';
import type { FlagConfigDoc, FlagDoc, VariationOrRollout } from './model.js';

/** LaunchDarkly's window: "in the past seven days". */
export const STATUS_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export type FlagStatusName = 'new' | 'active' | 'inactive' | 'launched';

/** When the SDKs last evaluated a flag in an environment, and the default their code passed (JSON), if any did. */
export interface FlagRequestRow {
  last_requested: number;
  default_value: string | null;
}

export interface FlagStatus {
  name: FlagStatusName;
  request?: FlagRequestRow;
}

/** `undefined` stands for "no variation": a malformed rollout, or a failed prerequisite without an off variation. */
type Served = number | undefined;

function servedBy(target: VariationOrRollout): Served[] {
  if (target.variation !== undefined) return [target.variation];
  const weighted = target.rollout?.variations ?? [];
  const weighed = weighted.filter((w) => w.weight > 0).map((w) => w.variation);
  // Weights that reach no bucket leave every context to the last entry (the SDKs' rule); none at all serves nothing.
  return weighed.length > 0 ? weighed : [weighted[weighted.length - 1]?.variation];
}

/**
 * Every variation the environment's targeting can serve while the flag is on: targets with values, enabled rules,
 * the fallthrough, and the off variation when there are prerequisites (a failed one serves it).
 */
export function servedVariations(config: FlagConfigDoc): Set<Served> {
  const served = new Set<Served>(servedBy(config.fallthrough));
  for (const target of [...config.targets, ...config.contextTargets]) if (target.values.length > 0) served.add(target.variation);
  for (const rule of config.rules) if (!rule.disabled) for (const variation of servedBy(rule)) served.add(variation);
  if (config.prerequisites.length > 0) served.add(config.offVariation);
  return served;
}

/**
 * LaunchDarkly's statuses. Requested in the past seven days: `launched` when on, serving one variation to everyone
 * and with targeting unchanged for seven days, else `active`. Not: `new` while the flag is younger than seven days,
 * else `inactive`.
 */
export function flagStatusName(flag: FlagDoc, config: FlagConfigDoc | undefined, lastRequested: number | undefined, now: number): FlagStatusName {
  const recent = (at: number) => now - at < STATUS_WINDOW_MS;
  if (lastRequested === undefined || !recent(lastRequested)) return recent(flag.creationDate) ? 'new' : 'inactive';
  if (!config?.on || recent(config.lastModified)) return 'active';
  return servedVariations(config).size === 1 ? 'launched' : 'active';
}

export function flagStatus(flag: FlagDoc, config: FlagConfigDoc | undefined, request: FlagRequestRow | undefined, now: number): FlagStatus {
  return { name: flagStatusName(flag, config, request === undefined ? undefined : Number(request.last_requested), now), request };
}

/** FeatureFlagStatus: the status in one environment, as the across-environments view lists it. */
export function representFlagStatus(status: FlagStatus): Record<string, unknown> {
  const rep: Record<string, unknown> = { name: status.name };
  if (status.request) {
    rep.lastRequested = new Date(Number(status.request.last_requested)).toISOString();
    if (status.request.default_value !== null) rep.default = JSON.parse(status.request.default_value);
  }
  return rep;
}

/** FlagStatusRep: the status with links to the flag and to itself. */
export function representFlagStatusRep(projectKey: string, environmentKey: string, flagKey: string, status: FlagStatus): Record<string, unknown> {
  return {
    ...representFlagStatus(status),
    _links: {
      parent: link(`/api/v2/flags/${projectKey}/${flagKey}`),
      self: link(`/api/v2/flag-statuses/${projectKey}/${environmentKey}/${flagKey}`),
    },
  };
}

/** The environment's flag requests, by flag key (keys the SDKs evaluated that are no flag's included). */
export async function flagRequestsIn(db: Db, environmentId: string): Promise<Map<string, FlagRequestRow>> {
  const rows = await db.selectFrom('flag_requests').select(['flag_key', 'last_requested', 'default_value']).where('environment_id', '=', environmentId).execute();
  return new Map(rows.map((row) => [row.flag_key, row]));
}

/** One flag's requests in the environments, by environment id. */
export async function flagRequestsOf(db: Db, flagKey: string, environmentIds: string[]): Promise<Map<string, FlagRequestRow>> {
  if (environmentIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('flag_requests')
    .select(['environment_id', 'last_requested', 'default_value'])
    .where('environment_id', 'in', environmentIds)
    .where('flag_key', '=', flagKey)
    .execute();
  return new Map(rows.map((row) => [row.environment_id, row]));
}
