// A change to an existing flag's settings, from the stored flag to the commit: the path every update takes (PATCH, copy).
import type { Actor, Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import type { Store, Trx } from '../../store/db.js';
import { lockNames } from '../../store/locks.js';
import { environmentsNeedingApproval, refuseUnapproved } from '../approvals/gate.js';
import { recordAudit } from '../audit-log/record.js';
import { listEnvironments, type EnvironmentRow } from '../environments/environments.js';
import { findMember } from '../members/members.js';
import { addsSegmentReference, segmentReferencesLock } from '../segments/model.js';
import { teamByKey } from '../teams/model.js';
import { refuseConflicts } from './conflicts.js';
import { applyEdits, type EditResult } from './editable.js';
import { guardFlagChange, type FlagChange } from './guards.js';
import { loadFlag, lockFlag, prerequisiteDependents, saveFlag, saveFlagConfig, type FlagConfigDoc, type FlagDoc, type LoadedFlag } from './model.js';
import { representFlag } from './represent.js';
import { maintainerOf, maintainerTeamOf, withConfigs } from './scope.js';
import type { FlagUpdate, UpdateContext } from './update.js';
import { addsPrerequisite, prerequisitesLock } from './dependents.js';
import { checkPrerequisites, checkSegmentReferences } from './validate.js';
import { addTargetedKinds } from './targetedKinds.js';

/** What the audit entry of a committed update says it did. */
export interface UpdateAudit {
  /** The entry's resource kind; `flag` when left out. */
  kind?: string;
  resource: string;
  action: string;
  description: string;
}

export interface FlagUpdateCommit {
  project: { id: string; key: string };
  flagKey: string;
  update: FlagUpdate;
  actor: Actor | undefined;
  /** Runs everything, flag guards included, and writes nothing. */
  dryRun?: boolean;
  /**
   * A caller's own change (a PATCH, a copy, a schedule being made): refused with a 405 where an environment's
   * approval settings require approval for it. Left out by what applies changes already decided (approved requests,
   * triggers, schedules coming due, expiring targets).
   */
  requireApproval?: boolean;
  /** The environment an approved request of this change was approved in: approval is not asked there again. */
  approvedIn?: string;
  /**
   * patchFeatureFlag's "Conflicts": a change that would make a pending schedule or approval request of the flag fail
   * is a 400 (unless the PATCH said `ignoreConflicts=true`).
   */
  refuseConflicts?: boolean;
  /**
   * Runs inside the transaction once the flag is locked, before the update: `false` ends the transaction without the
   * update (the expiry job's check that its schedule still stands, and the schedule's removal with the update).
   */
  inside?: (trx: Trx, flag: LoadedFlag) => Promise<boolean>;
  /** The slice whose own write this is, told to the flag guards (an AI Config changing its flag's variations). */
  origin?: FlagChange['origin'];
  /**
   * Shown the flag before and after a change that passed every check, before anything is written (on a dry run too):
   * what a question about the change (its migration safety issues) reads. Not called when nothing would change.
   */
  inspect?: (before: LoadedFlag, after: { doc: FlagDoc; configs: Map<string, FlagConfigDoc> }) => void;
  /** The audit entry for the flag as updated and the keys of the environments whose targeting changed; `updateFlag` when left out. */
  audit?: (doc: FlagDoc, changedEnvironmentKeys: string[]) => UpdateAudit;
}

function updateFlagAudit(projectKey: string, flagKey: string) {
  return (doc: FlagDoc, changedEnvs: string[]): UpdateAudit => ({
    resource: `proj/${projectKey}:env/${changedEnvs.length === 1 ? changedEnvs[0] : '*'}:flag/${flagKey}`,
    action: 'updateFlag',
    description: `updated the flag ${doc.name}${changedEnvs.length > 0 ? ` in ${changedEnvs.join(', ')}` : ''}`,
  });
}

/** What the edit refers to outside the flag: the maintainer, prerequisite flags, segments, and flags that depend on this one. */
async function checkReferences(trx: Trx, store: Store, projectId: string, before: LoadedFlag, result: EditResult, environments: EnvironmentRow[]): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const maintainerId = result.doc.maintainerId;
  if (maintainerId !== undefined && maintainerId !== before.doc.maintainerId && !(await findMember(trx, maintainerId))) {
    errors.push({ attribute: 'maintainerId', reason: `there is no member with _id "${maintainerId}"` });
  }
  const teamKey = result.doc.maintainerTeamKey;
  if (teamKey !== undefined && teamKey !== before.doc.maintainerTeamKey && !(await teamByKey(trx, teamKey))) {
    errors.push({ attribute: 'maintainerTeamKey', reason: `no team has the key "${teamKey}"` });
  }
  const changed = environments.flatMap((env) => {
    const config = result.changedConfigs.get(env.id);
    return config ? [{ key: env.key, id: env.id, config }] : [];
  });
  const archiving = result.doc.archived && !before.doc.archived;
  const variationMap = result.variationMap;
  // What a reference names, and what names this flag, is read after the locks that deleting a flag or a segment takes
  // (on PostgreSQL each statement reads what was committed before it): the delete sees the reference, or this the flag
  // or segment gone.
  const locks = changed.filter(({ id, config }) => addsSegmentReference(before.configs.get(id)?.rules ?? [], config.rules)).map(({ id }) => segmentReferencesLock(id));
  if (variationMap || archiving || changed.some(({ id, config }) => addsPrerequisite(before.configs.get(id), config))) locks.push(prerequisitesLock(projectId));
  await lockNames(trx, store, locks);
  errors.push(...(await checkPrerequisites(trx, projectId, changed)), ...(await checkSegmentReferences(trx, changed)));
  if (variationMap || archiving) {
    const dependents = await prerequisiteDependents(trx, projectId, before.row.key);
    if (archiving && dependents.length > 0) {
      const names = [...new Set(dependents.map((d) => `"${d.flagKey}"`))].join(', ');
      errors.push({ attribute: 'archived', reason: `flag "${before.row.key}" is a prerequisite of ${names}; remove those prerequisites before archiving it` });
    }
    for (const dependent of dependents) {
      if (!variationMap) break;
      const moved = variationMap(dependent.variation);
      if (moved === dependent.variation) continue;
      const envKey = environments.find((env) => env.id === dependent.environmentId)?.key ?? dependent.environmentId;
      errors.push({
        attribute: 'variations',
        reason: `variation ${dependent.variation} is what flag "${dependent.flagKey}" requires as a prerequisite in environment "${envKey}"; it cannot be ${moved < 0 ? 'removed' : 'moved'} while that flag depends on it`,
      });
    }
  }
  return errors;
}

/**
 * Applies the update to the flag's representation in one transaction with the flag locked: every invariant and
 * reference is checked (400 naming the field), the flag guards may refuse (a running experiment's rule), versions
 * move where something changed, and the audit entry and change notice follow. An update that changes nothing
 * writes nothing. Answers the flag as it is afterwards (or would be, on a dry run).
 */
export async function commitFlagUpdate(deps: Deps, commit: FlagUpdateCommit): Promise<Record<string, unknown>> {
  const { project, update } = commit;
  const audit = commit.audit ?? updateFlagAudit(project.key, commit.flagKey);
  const now = deps.now();
  const outcome = await deps.store.tx(async (trx) => {
    // Read before the flag is locked, so that the lock is held one round trip less (on PostgreSQL the PATCHes of one
    // flag queue on it). Environments take no flag lock, so reading them after it would order nothing more; an
    // environment made or deleted meanwhile has no targeting in the locked read, and is left out with it.
    const projectEnvironments = await listEnvironments(trx, project.id);
    const before = await lockFlag(trx, deps.store, project, commit.flagKey);
    const flagKey = before.row.key;
    if (commit.inside && !(await commit.inside(trx, before))) return { rep: {}, written: false };
    const environments = projectEnvironments.filter((env) => before.configs.has(env.id));
    const maintainer = await maintainerOf(trx, before.doc);
    const maintainerTeam = await maintainerTeamOf(trx, before.doc);
    const beforeRep = representFlag(project.key, {
      key: flagKey,
      doc: before.doc,
      environments: withConfigs(environments, before.configs),
      maintainer,
      maintainerTeam,
      // A migration flag's environments carry its check ratio, which an edit may change.
      migrationSettings: true,
    });
    const context: UpdateContext = {
      environmentKeys: new Set(environments.map((env) => env.key)),
      flagKey,
      otherFlag: async (key) => (await loadFlag(trx, project.id, key))?.doc,
    };
    const edited = await update.apply(beforeRep, context);
    const result = applyEdits({
      flagKey,
      before,
      beforeRep,
      edited,
      environments: new Map(environments.map((env) => [env.key, { id: env.id }])),
      now,
    });
    if (!result.changed) return { rep: beforeRep, written: false };
    const errors = await checkReferences(trx, deps.store, project.id, before, result, environments);
    if (errors.length > 0) throw validationFailed(errors);
    const afterRep = representFlag(project.key, {
      key: flagKey,
      doc: result.doc,
      environments: withConfigs(environments, result.configs),
      // The same member unless the edit named another (read in this transaction either way).
      maintainer: result.doc.maintainerId === before.doc.maintainerId ? maintainer : await maintainerOf(trx, result.doc),
      maintainerTeam: result.doc.maintainerTeamKey === before.doc.maintainerTeamKey ? maintainerTeam : await maintainerTeamOf(trx, result.doc),
      migrationSettings: true,
    });
    if (commit.requireApproval) {
      const needing = environmentsNeedingApproval(beforeRep, afterRep, environments).filter((key) => key !== commit.approvedIn);
      await refuseUnapproved(deps, commit.actor, { projectKey: project.key, flagKey }, needing, before.doc.tags);
    }
    if (commit.refuseConflicts) await refuseConflicts(trx, before.row.id, environments, beforeRep, afterRep, context);
    await guardFlagChange({
      trx,
      store: deps.store,
      projectId: project.id,
      projectKey: project.key,
      flagId: before.row.id,
      flagKey,
      before: { doc: before.doc, configs: before.configs },
      after: { doc: result.doc, configs: result.configs },
      origin: commit.origin,
    });
    if (result.experimentRolloutChanges.length > 0) throw validationFailed(result.experimentRolloutChanges);
    commit.inspect?.(before, { doc: result.doc, configs: result.configs });
    if (commit.dryRun) return { rep: afterRep, written: false };
    await saveFlag(trx, before.row.id, result.doc);
    for (const [environmentId, config] of result.versionedConfigs) await saveFlagConfig(trx, before.row.id, environmentId, config);
    await addTargetedKinds(trx, project.id, before.configs.values(), result.versionedConfigs.values(), now);
    const changedEnvs = environments.filter((env) => result.changedConfigs.has(env.id)).map((env) => env.key);
    await recordAudit(trx, commit.actor, now, {
      kind: 'flag',
      ...audit(result.doc, changedEnvs),
      name: result.doc.name,
      projectKey: project.key,
      ...(update.comment !== undefined ? { comment: update.comment } : {}),
      delta: update.delta,
      before: beforeRep,
      after: afterRep,
    });
    return { rep: afterRep, written: true, flagId: before.row.id };
  });
  if (outcome.written) deps.changed({ kind: 'flag', projectId: project.id, id: outcome.flagId });
  return outcome.rep;
}
