// The lifecycle's reads and writes: what a semantic patch of an experiment (and a holdout, for its base experiment)
// loads before the pure state machine runs, and how its outcome is written, all inside the caller's transaction.
import type { Actor, Deps } from '../../http/context.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import type { Store, Trx } from '../../store/db.js';
import { refuseExplicitDenial } from '../custom-roles/access.js';
import { flag } from '../custom-roles/routeActions.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { saveFlagConfig, type FlagConfigDoc, type FlagDoc } from '../flags/model.js';
import type { ProjectRow } from '../projects/projects.js';
import type { AuditEntry } from '../audit-log/record.js';
import { representFlag } from '../flags/represent.js';
import { maintainerTeamOf } from '../flags/scope.js';
import { findMember, type MemberRow } from '../members/members.js';
import { statusOf, type FlagFacts, type IterationRecord, type LifecycleState } from './lifecycle.js';
import { iterationRefs, RUNNING_STATUS, type ExperimentIterations, type ExperimentRow, type IterationDoc } from './model.js';

/** The iterations the lifecycle decides on: the current one and the draft (once when they are the same). */
export function lifecycleRecords(arranged: ExperimentIterations): IterationRecord[] {
  return [arranged.current, arranged.draft]
    .filter((it, i, all): it is NonNullable<typeof it> => it !== undefined && all.findIndex((o) => o?.id === it.id) === i)
    .map((it) => ({ id: it.id, doc: it.doc, isNew: false, deleted: false }));
}

export interface Loaded {
  project: ProjectRow;
  environment: EnvironmentRow;
  experiment: ExperimentRow;
}

/**
 * Current targeting of the flags, row-locked on PostgreSQL in key order, so concurrent starts cannot deadlock. The
 * flag row is locked before its targeting, as a flag patch locks them (lockFlag): locking only the targeting let a
 * flag patch and a start each hold what the other needed next (deadlock), and the flag document read unlocked here
 * is written back with `_version + 1`, which overwrote a flag patch that committed in between.
 */
export async function loadFlagFacts(
  trx: Trx,
  store: Store,
  loaded: Omit<Loaded, 'experiment'> & { experiment: Pick<ExperimentRow, 'id'> },
  flagKeys: string[],
): Promise<Record<string, FlagFacts & { flagId: string }>> {
  const out: Record<string, FlagFacts & { flagId: string }> = {};
  if (flagKeys.length === 0) return out;
  let flagQuery = trx.selectFrom('flags').select(['id', 'key', 'doc']).where('project_id', '=', loaded.project.id).where('key', 'in', flagKeys).orderBy('key');
  if (store.kind === 'postgres') flagQuery = flagQuery.forUpdate();
  const flags = await flagQuery.execute();
  for (const flag of flags) {
    let query = trx.selectFrom('flag_configs').select('doc').where('flag_id', '=', flag.id).where('environment_id', '=', loaded.environment.id);
    if (store.kind === 'postgres') query = query.forUpdate();
    const config = await query.executeTakeFirst();
    if (!config) continue;
    out[flag.key] = { flagId: flag.id, doc: JSON.parse(flag.doc) as FlagDoc, config: JSON.parse(config.doc) as FlagConfigDoc, ownedBy: {} };
  }
  // Which of those flags' rules other running experiments of this environment hold.
  const running = await trx
    .selectFrom('iterations as i')
    .innerJoin('experiments as e', 'e.id', 'i.experiment_id')
    .select(['e.key', 'i.doc'])
    .where('e.environment_id', '=', loaded.environment.id)
    .where('e.id', '!=', loaded.experiment.id)
    .where('i.status', '=', RUNNING_STATUS)
    .where(({ exists, selectFrom }) =>
      exists(selectFrom('experiment_refs as r').select('r.key').whereRef('r.iteration_id', '=', 'i.id').where('r.kind', '=', 'flag').where('r.key', 'in', flagKeys)),
    )
    .execute();
  for (const row of running) {
    const doc = JSON.parse(row.doc) as IterationDoc;
    for (const [flagKey, flag] of Object.entries(doc.flags)) if (out[flagKey]) out[flagKey].ownedBy[flag.ruleId] = row.key;
  }
  return out;
}

async function writeRefs(trx: Trx, experimentId: string, iterationId: string, doc: IterationDoc): Promise<void> {
  await trx.deleteFrom('experiment_refs').where('iteration_id', '=', iterationId).execute();
  const refs = iterationRefs(doc);
  if (refs.length > 0) {
    await trx.insertInto('experiment_refs').values(refs.map(([kind, key]) => ({ experiment_id: experimentId, iteration_id: iterationId, kind, key }))).execute();
  }
}

/** When the reallocation job next looks at an iteration: only a running bandit has a time. */
function reallocateAtOf(doc: IterationDoc): number | null {
  return doc.status === 'running' && doc.bandit ? doc.bandit.nextAt : null;
}

/** A flag whose targeting in one environment a lifecycle write changed: the flag and that targeting, before and after. */
export interface TargetingChange {
  flagId: string;
  flagKey: string;
  before: { doc: FlagDoc; config: FlagConfigDoc };
  after: { doc: FlagDoc; config: FlagConfigDoc };
}

/**
 * The 403 of an experiment's write that would change a flag's targeting in a way the caller's custom roles deny on
 * that flag (a deny statement naming the flag action the change is, e.g. `updateFallthrough` on
 * `proj/*:env/*;prod:flag/*`, tags and `critical` counted): starting or stopping an iteration needs no flag action,
 * as the experiment owns the change, but a role that forbids the change to the flag is obeyed.
 */
export async function refuseDeniedTargeting(deps: Pick<Deps, 'store' | 'catalog'>, actor: Actor | undefined, place: { projectKey: string; environmentKey: string }, changes: TargetingChange[]): Promise<void> {
  const policy = actor?.policy;
  if (!policy) return;
  for (const change of changes) {
    const [before, after] = [change.before.config, change.after.config];
    const actions = [
      ...(before.on !== after.on ? ['updateOn'] : []),
      ...(!deepEqual(before.fallthrough, after.fallthrough) ? ['updateFallthrough'] : []),
      ...(!deepEqual(before.rules, after.rules) ? ['updateRules'] : []),
      ...(!deepEqual(before.prerequisites, after.prerequisites) ? ['updatePrerequisites'] : []),
    ];
    if (actions.length === 0) continue;
    const resource = flag(place.projectKey, place.environmentKey, change.flagKey, change.before.doc.tags);
    await refuseExplicitDenial(deps.store.db, deps.catalog, policy, resource, actions, 'which this change of the experiment makes');
  }
}

/**
 * Writes what the lifecycle changed: experiment, iterations (stops before starts, for the one-running index), flags.
 * Answers the flags whose targeting changed, for their audit entries.
 */
export async function persist(trx: Trx, loaded: Loaded, before: LifecycleState, after: LifecycleState, flagIds: Record<string, string>): Promise<TargetingChange[]> {
  const experiment = loaded.experiment;
  await trx
    .updateTable('experiments')
    .set({ name: after.experiment.name, doc: JSON.stringify(after.experiment), status: statusOf(after), archived_date: after.experiment.archivedDate ?? null })
    .where('id', '=', experiment.id)
    .execute();

  const original = new Map(before.iterations.map((it) => [it.id, JSON.stringify(it.doc)]));
  const rank = (it: IterationRecord) => (it.deleted ? 0 : it.doc.status === 'stopped' ? 1 : it.isNew ? 2 : 3);
  for (const it of [...after.iterations].sort((a, b) => rank(a) - rank(b))) {
    if (it.deleted) {
      if (!it.isNew) await trx.deleteFrom('iterations').where('id', '=', it.id).execute();
      continue;
    }
    const doc = JSON.stringify(it.doc);
    if (it.isNew) {
      await trx
        .insertInto('iterations')
        .values({ id: it.id, experiment_id: experiment.id, status: it.doc.status, doc, created_at: it.doc.createdAt, started_at: it.doc.startedAt ?? null, reallocate_at: reallocateAtOf(it.doc) })
        .execute();
      await writeRefs(trx, experiment.id, it.id, it.doc);
    } else if (original.get(it.id) !== doc) {
      await trx.updateTable('iterations').set({ status: it.doc.status, doc, started_at: it.doc.startedAt ?? null, reallocate_at: reallocateAtOf(it.doc) }).where('id', '=', it.id).execute();
      await writeRefs(trx, experiment.id, it.id, it.doc);
    }
  }

  const changes: TargetingChange[] = [];
  for (const [flagKey, facts] of Object.entries(after.flags)) {
    const was = before.flags[flagKey];
    if (facts.config === was?.config) continue;
    // One write is one version, however many of the flag's rules it retargeted (a start moving to another rule
    // restores the old one and rolls out on the new, each a retarget).
    const config = was && facts.config.version > was.config.version + 1 ? { ...facts.config, version: was.config.version + 1 } : facts.config;
    const doc = await saveTargeting(trx, flagIds[flagKey], loaded.environment.id, { doc: facts.doc, config });
    if (was) changes.push({ flagId: flagIds[flagKey], flagKey, before: { doc: was.doc, config: was.config }, after: { doc, config } });
  }
  return changes;
}

/** A flag's new targeting in one environment; the flag's `_version` counts the change. Answers the flag as saved. */
export async function saveTargeting(trx: Trx, flagId: string, environmentId: string, facts: { doc: FlagDoc; config: FlagConfigDoc }): Promise<FlagDoc> {
  await saveFlagConfig(trx, flagId, environmentId, facts.config);
  const flagDoc: FlagDoc = { ...facts.doc, _version: facts.doc._version + 1 };
  await trx.updateTable('flags').set({ doc: JSON.stringify(flagDoc) }).where('id', '=', flagId).execute();
  return flagDoc;
}

/**
 * The flag entries of targeting that an experiment's or a holdout's write changed (a start turning a flag on, giving
 * it a rollout or a holdout's prerequisite, a stop, a holdout ending), as a flag PATCH records them: `updateFlag` on
 * the flag in that environment, the flag as the API shows it before and after. A flag changed twice in the write
 * is one entry; its description names `cause` (the experiment or holdout whose write it was). Reads the flags'
 * targeting in the other environments in one query.
 */
export async function targetingAudits(
  trx: Trx,
  where: Omit<Loaded, 'experiment'>,
  changes: readonly TargetingChange[],
  comment: string | undefined,
  cause: string,
): Promise<AuditEntry[]> {
  if (changes.length === 0) return [];
  const byFlag = new Map<string, TargetingChange>();
  for (const change of changes) {
    const first = byFlag.get(change.flagId);
    byFlag.set(change.flagId, first ? { ...change, before: first.before } : change);
  }
  const rows = await trx
    .selectFrom('flag_configs as c')
    .innerJoin('environments as e', 'e.id', 'c.environment_id')
    .select(['c.flag_id', 'c.environment_id', 'c.doc', 'e.key', 'e.name'])
    .where('c.flag_id', 'in', [...byFlag.keys()])
    .orderBy('e.position')
    .orderBy('e.id')
    .execute();
  const members = new Map<string, Promise<MemberRow | undefined>>();
  const projectKey = where.project.key;
  const envKey = where.environment.key;
  const entries: AuditEntry[] = [];
  for (const change of byFlag.values()) {
    const others = rows.filter((r) => r.flag_id === change.flagId);
    const view = async (side: { doc: FlagDoc; config: FlagConfigDoc }) => {
      const maintainerId = side.doc.maintainerId;
      if (maintainerId && !members.has(maintainerId)) members.set(maintainerId, findMember(trx, maintainerId));
      const environments = others.map((r) => ({ key: r.key, name: r.name, config: r.environment_id === where.environment.id ? side.config : (JSON.parse(r.doc) as FlagConfigDoc) }));
      return representFlag(projectKey, {
        key: change.flagKey,
        doc: side.doc,
        environments,
        maintainer: maintainerId ? await members.get(maintainerId) : undefined,
        maintainerTeam: await maintainerTeamOf(trx, side.doc),
      });
    };
    entries.push({
      kind: 'flag',
      resource: `proj/${projectKey}:env/${envKey}:flag/${change.flagKey}`,
      action: 'updateFlag',
      name: change.after.doc.name,
      description: `updated the flag ${change.after.doc.name} in ${envKey} (${cause})`,
      projectKey,
      ...(comment !== undefined ? { comment } : {}),
      before: await view(change.before),
      after: await view(change.after),
    });
  }
  return entries;
}

