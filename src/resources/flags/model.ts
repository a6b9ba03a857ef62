// The stored shape of a feature flag and of its per-environment targeting ("flag config"), and how to load them.
import type { Db, Store, Trx } from '../../store/db.js';
import { hex32, uuid } from '../../store/ids.js';
import { notFound } from '../../http/errors.js';
import { statement } from '../../store/statements.js';
import { isMigrationFlag, migrationFallthrough } from './migration.js';
import { withoutExperiment } from './plainRollout.js';

export interface Variation {
  _id: string;
  value: unknown;
  name?: string;
  description?: string;
}

export interface Clause {
  _id: string;
  attribute: string;
  op: string;
  values: unknown[];
  contextKind?: string;
  negate: boolean;
}

export interface WeightedVariation {
  variation: number;
  weight: number;
  _untracked?: boolean;
}

export interface Rollout {
  variations: WeightedVariation[];
  experimentAllocation?: { defaultVariation: number; canReshuffle: boolean };
  seed?: number;
  bucketBy?: string;
  contextKind?: string;
}

export interface VariationOrRollout {
  variation?: number;
  rollout?: Rollout;
}

export interface Rule extends VariationOrRollout {
  _id: string;
  disabled?: boolean;
  clauses: Clause[];
  trackEvents: boolean;
  description?: string;
  ref?: string;
}

export interface Target {
  values: string[];
  variation: number;
  contextKind?: string;
}

export interface Prerequisite {
  key: string;
  variation: number;
}

export interface FlagConfigDoc {
  on: boolean;
  archived: boolean;
  salt: string;
  sel: string;
  lastModified: number;
  version: number;
  targets: Target[];
  contextTargets: Target[];
  rules: Rule[];
  fallthrough: VariationOrRollout;
  offVariation?: number;
  prerequisites: Prerequisite[];
  trackEvents: boolean;
  trackEventsFallthrough: boolean;
  _debugEventsUntilDate?: number;
  /** A migration flag's settings in this environment: what share of its migration ops check consistency (1 in checkRatio). */
  migrationSettings?: { checkRatio?: number };
}

export interface FlagDoc {
  name: string;
  kind: 'boolean' | 'multivariate';
  description: string;
  variations: Variation[];
  temporary: boolean;
  tags: string[];
  customProperties: Record<string, { name: string; value: string[] }>;
  clientSideAvailability: { usingMobileKey: boolean; usingEnvironmentId: boolean };
  includeInSnippet: boolean;
  defaults: { onVariation: number; offVariation: number };
  maintainerId?: string;
  maintainerTeamKey?: string;
  archived: boolean;
  archivedDate?: number;
  deprecated: boolean;
  deprecatedDate?: number;
  purpose?: string;
  migrationSettings?: { contextKind?: string; stageCount: number };
  _version: number;
  creationDate: number;
}

export interface FlagRow {
  id: string;
  project_id: string;
  key: string;
  name: string;
  doc: string;
  archived: number;
  created_at: number;
}

export interface LoadedConfig {
  environmentId: string;
  doc: FlagConfigDoc;
}

export interface LoadedFlag {
  row: FlagRow;
  doc: FlagDoc;
  /** Keyed by environment id. */
  configs: Map<string, FlagConfigDoc>;
}

/** The object without its undefined members, so stored and represented shapes compare and print alike. */
export function compact<T extends object>(value: T): T {
  // A loop rather than entries/filter/fromEntries: every flag representation calls this for each environment and
  // variation, and the three intermediate arrays were 7.6% of a flag PATCH's event loop (profile, bench/README.md).
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (member !== undefined) out[key] = member;
  }
  return out as T;
}

/** The purpose of the flag an AI Config is served by (src/resources/ai-configs): hidden from the flags list, always on. */
export const AI_CONFIG_PURPOSE = 'aiConfig';

/**
 * A new environment's targeting for a flag: off (an AI Config's flag on: its targeting has no off), version 1,
 * serving the flag's defaults; a migration flag's default cohort is a rollout over its stages, all of it `off`.
 */
export function initialConfig(flag: FlagDoc, now: number, on = flag.purpose === AI_CONFIG_PURPOSE): FlagConfigDoc {
  return {
    on,
    archived: false,
    salt: hex32(),
    sel: hex32(),
    lastModified: now,
    version: 1,
    targets: [],
    contextTargets: [],
    rules: [],
    fallthrough: isMigrationFlag(flag) ? migrationFallthrough(flag) : { variation: flag.defaults.onVariation },
    offVariation: flag.defaults.offVariation,
    prerequisites: [],
    trackEvents: false,
    trackEventsFallthrough: false,
  };
}

// loadFlag, lockFlag and the saves are every flag write's statements: written once as SQL (statements.ts says why).
type FlagWithConfigRow = FlagRow & { config_environment_id: string | null; config_doc: string | null };
const flagAndConfigs = (join: 'left' | 'inner') =>
  `select "flags".*, "flag_configs"."environment_id" as "config_environment_id", "flag_configs"."doc" as "config_doc" from "flags" ` +
  `${join} join "flag_configs" on "flag_configs"."flag_id" = "flags"."id" where "flags"."project_id" = ? and "flags"."key" = ?`;
const flagWithConfigs = statement<FlagWithConfigRow>(flagAndConfigs('left'));
// PostgreSQL only. FOR UPDATE cannot lock the nullable side of an outer join, so the flag and its configs are locked
// and read in one inner join: it locks each row it returns, the flag's row before each config's (the order of the
// FROM list, as lockFlagRow then lockFlagConfigs do), and a row it waited for is read as committed by its holder.
const lockedFlagWithConfigs = statement<FlagWithConfigRow>(`${flagAndConfigs('inner')} for update`);
const lockFlagRow = statement<{ id: string }>('select "id" from "flags" where "project_id" = ? and "key" = ? for update');
const lockFlagConfigs = statement('select "flag_id" from "flag_configs" where "flag_id" = ? for update');
const updateFlag = statement('update "flags" set "doc" = ?, "name" = ?, "archived" = ? where "id" = ?');
const updateFlagConfig = statement('update "flag_configs" set "doc" = ?, "version" = ? where "flag_id" = ? and "environment_id" = ?');

/** The flag and its targeting in every environment, read in one statement so both come from one snapshot. */
export async function loadFlag(db: Db | Trx, projectId: string, key: string): Promise<LoadedFlag | undefined> {
  return loadedFlag(await flagWithConfigs.run(db, [projectId, key]));
}

/** The flag of rows (the flag's columns and one config each, or none), or undefined when there are none. */
function loadedFlag(rows: FlagWithConfigRow[]): LoadedFlag | undefined {
  if (rows.length === 0) return undefined;
  const { config_environment_id: _e, config_doc: _d, ...row } = rows[0];
  const configs = new Map<string, FlagConfigDoc>();
  for (const r of rows) if (r.config_environment_id !== null && r.config_doc !== null) configs.set(r.config_environment_id, JSON.parse(r.config_doc) as FlagConfigDoc);
  return { row, doc: JSON.parse(row.doc) as FlagDoc, configs };
}

/** One flag's targeting in one environment, row-locked on PostgreSQL when inside a write. */
export async function loadFlagConfig(
  db: Db | Trx,
  store: Store,
  flagId: string,
  environmentId: string,
  lock: boolean,
): Promise<FlagConfigDoc | undefined> {
  let query = db.selectFrom('flag_configs').select('doc').where('flag_id', '=', flagId).where('environment_id', '=', environmentId);
  if (lock && store.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row ? (JSON.parse(row.doc) as FlagConfigDoc) : undefined;
}

export async function saveFlagConfig(trx: Trx, flagId: string, environmentId: string, doc: FlagConfigDoc): Promise<void> {
  await updateFlagConfig.run(trx, [JSON.stringify(doc), doc.version, flagId, environmentId]);
}

/**
 * A copy of one environment's targeting as a fresh config: new salt, version 1, new rule and clause ids, and a running
 * experiment's rollout as a plain rollout (no experiment runs in the copy).
 */
export function copyConfig(source: FlagConfigDoc, now: number, overrides: Partial<Pick<FlagConfigDoc, 'on' | 'archived'>> = {}): FlagConfigDoc {
  const copy = JSON.parse(JSON.stringify(source)) as FlagConfigDoc;
  return {
    ...copy,
    ...overrides,
    salt: hex32(),
    sel: hex32(),
    lastModified: now,
    version: 1,
    rules: copy.rules.map((rule) => withoutExperiment({ ...rule, _id: uuid(), clauses: rule.clauses.map((clause) => ({ ...clause, _id: uuid() })) })),
    fallthrough: withoutExperiment(copy.fallthrough),
  };
}

/**
 * Every flag of the project gets targeting in a new environment: its defaults, or, when the environment is a clone,
 * a copy of the flag's targeting in the source environment.
 */
export async function addConfigsForEnvironment(trx: Trx, projectId: string, environmentId: string, now: number, sourceEnvironmentId?: string): Promise<void> {
  const flags = await trx.selectFrom('flags').select(['id', 'doc']).where('project_id', '=', projectId).execute();
  if (flags.length === 0) return;
  const sources = sourceEnvironmentId
    ? new Map(
        (await trx.selectFrom('flag_configs').select(['flag_id', 'doc']).where('environment_id', '=', sourceEnvironmentId).execute()).map((row) => [
          row.flag_id,
          JSON.parse(row.doc) as FlagConfigDoc,
        ]),
      )
    : new Map<string, FlagConfigDoc>();
  await trx
    .insertInto('flag_configs')
    .values(
      flags.map((flag) => {
        const source = sources.get(flag.id);
        const config = source ? copyConfig(source, now) : initialConfig(JSON.parse(flag.doc) as FlagDoc, now);
        return { flag_id: flag.id, environment_id: environmentId, doc: JSON.stringify(config), version: config.version };
      }),
    )
    .execute();
}

/** The flag, or a 404 naming it and its project. */
export async function findFlag(db: Db | Trx, project: { id: string; key: string }, key: string): Promise<LoadedFlag> {
  const flag = await loadFlag(db, project.id, key);
  if (!flag) throw notFound(`Flag "${key}" in project "${project.key}"`);
  return flag;
}

/** Like findFlag, inside a write: the flag row and its configs are locked on PostgreSQL until commit. */
export async function lockFlag(trx: Trx, store: Store, project: { id: string; key: string }, key: string): Promise<LoadedFlag> {
  if (store.kind === 'postgres') {
    // One round trip where the flag has targeting (it has in every environment of its project); else the two locks.
    const locked = loadedFlag(await lockedFlagWithConfigs.run(trx, [project.id, key]));
    if (locked) return locked;
    const [row] = await lockFlagRow.run(trx, [project.id, key]);
    if (row) await lockFlagConfigs.run(trx, [row.id]);
  }
  return findFlag(trx, project, key);
}

export async function listFlagRows(db: Db | Trx, projectId: string): Promise<FlagRow[]> {
  return db.selectFrom('flags').selectAll().where('project_id', '=', projectId).execute();
}

/** Targeting of many flags in some environments: flag id -> environment id -> config. */
export async function loadConfigs(db: Db | Trx, flagIds: string[], environmentIds: string[]): Promise<Map<string, Map<string, FlagConfigDoc>>> {
  const out = new Map<string, Map<string, FlagConfigDoc>>(flagIds.map((id) => [id, new Map()]));
  if (flagIds.length === 0 || environmentIds.length === 0) return out;
  const rows = await db
    .selectFrom('flag_configs')
    .select(['flag_id', 'environment_id', 'doc'])
    .where('flag_id', 'in', flagIds)
    .where('environment_id', 'in', environmentIds)
    .execute();
  for (const row of rows) out.get(row.flag_id)?.set(row.environment_id, JSON.parse(row.doc) as FlagConfigDoc);
  return out;
}

export async function insertFlag(trx: Trx, row: FlagRow, configs: Map<string, FlagConfigDoc>): Promise<void> {
  await trx.insertInto('flags').values(row).execute();
  if (configs.size === 0) return;
  await trx
    .insertInto('flag_configs')
    .values([...configs].map(([environmentId, doc]) => ({ flag_id: row.id, environment_id: environmentId, doc: JSON.stringify(doc), version: doc.version })))
    .execute();
}

/** Rewrites the flag document and the columns derived from it. */
export async function saveFlag(trx: Trx, flagId: string, doc: FlagDoc): Promise<void> {
  await updateFlag.run(trx, [JSON.stringify(doc), doc.name, doc.archived ? 1 : 0, flagId]);
}

export async function deleteFlag(trx: Trx, flagId: string): Promise<void> {
  await trx.deleteFrom('flag_configs').where('flag_id', '=', flagId).execute();
  await trx.deleteFrom('flags').where('id', '=', flagId).execute();
}

export interface Dependent {
  flagKey: string;
  environmentId: string;
  variation: number;
}

/** Other flags of the project that have `flagKey` as a prerequisite, in any environment. */
export async function prerequisiteDependents(db: Db | Trx, projectId: string, flagKey: string): Promise<Dependent[]> {
  // The text match only narrows the rows; the parsed prerequisites decide (LIKE treats `_` as a wildcard).
  const rows = await db
    .selectFrom('flag_configs')
    .innerJoin('flags', 'flags.id', 'flag_configs.flag_id')
    .select(['flags.key as key', 'flag_configs.environment_id as environment_id', 'flag_configs.doc as doc'])
    .where('flags.project_id', '=', projectId)
    .where('flags.key', '!=', flagKey)
    .where('flag_configs.doc', 'like', `%"key":"${flagKey}"%`)
    .execute();
  const out: Dependent[] = [];
  for (const row of rows) {
    for (const prerequisite of (JSON.parse(row.doc) as FlagConfigDoc).prerequisites) {
      if (prerequisite.key === flagKey) out.push({ flagKey: row.key, environmentId: row.environment_id, variation: prerequisite.variation });
    }
  }
  return out;
}

export function variationIndexById(flag: FlagDoc, variationId: string): number {
  return flag.variations.findIndex((v) => v._id === variationId);
}
