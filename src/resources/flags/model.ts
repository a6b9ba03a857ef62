// The stored shape of a feature flag and of its per-environment targeting ("flag config"), and how to load them.
import type { Db, Store, Trx } from '../../store/db.js';
import { hex32 } from '../../store/ids.js';

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

/** A new environment's targeting for a flag: off, version 1, serving the flag's defaults. */
export function initialConfig(flag: FlagDoc, now: number, on = false): FlagConfigDoc {
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
    fallthrough: { variation: flag.defaults.onVariation },
    offVariation: flag.defaults.offVariation,
    prerequisites: [],
    trackEvents: false,
    trackEventsFallthrough: false,
  };
}

export async function loadFlag(db: Db | Trx, projectId: string, key: string): Promise<LoadedFlag | undefined> {
  const row = await db.selectFrom('flags').selectAll().where('project_id', '=', projectId).where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  const configs = await db.selectFrom('flag_configs').select(['environment_id', 'doc']).where('flag_id', '=', row.id).execute();
  return {
    row,
    doc: JSON.parse(row.doc) as FlagDoc,
    configs: new Map(configs.map((c) => [c.environment_id, JSON.parse(c.doc) as FlagConfigDoc])),
  };
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
  await trx
    .updateTable('flag_configs')
    .set({ doc: JSON.stringify(doc), version: doc.version })
    .where('flag_id', '=', flagId)
    .where('environment_id', '=', environmentId)
    .execute();
}

/** Every flag of the project gets targeting in a new environment. */
export async function addConfigsForEnvironment(trx: Trx, projectId: string, environmentId: string, now: number): Promise<void> {
  const flags = await trx.selectFrom('flags').select(['id', 'doc']).where('project_id', '=', projectId).execute();
  if (flags.length === 0) return;
  await trx
    .insertInto('flag_configs')
    .values(
      flags.map((flag) => {
        const config = initialConfig(JSON.parse(flag.doc) as FlagDoc, now);
        return { flag_id: flag.id, environment_id: environmentId, doc: JSON.stringify(config), version: config.version };
      }),
    )
    .execute();
}

export function variationIndexById(flag: FlagDoc, variationId: string): number {
  return flag.variations.findIndex((v) => v._id === variationId);
}
