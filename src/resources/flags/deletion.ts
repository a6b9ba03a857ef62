// Deleting a flag in every environment: DELETE /api/v2/flags/{p}/{key} and the semantic patch instruction `deleteFlag`
// take this one path, with the same refusals and the same audit entry.
import type { Actor, Deps } from '../../http/context.js';
import { conflict } from '../../http/errors.js';
import { lockNames } from '../../store/locks.js';
import { recordAudit } from '../audit-log/record.js';
import { listEnvironments } from '../environments/environments.js';
import { forgetExpiringTargets } from '../expiring-targets/model.js';
import { guardFlagDeletion } from './guards.js';
import { deleteFlag, lockFlag, prerequisiteDependents } from './model.js';
import { representFlag } from './represent.js';
import { maintainerOf, maintainerTeamOf, withConfigs } from './scope.js';
import { prerequisitesLock } from './dependents.js';

export interface FlagDeletion {
  project: { id: string; key: string };
  flagKey: string;
  actor: Actor | undefined;
  comment?: string;
  /** Runs every check and deletes nothing. */
  dryRun?: boolean;
  /** Answer the flag as it was (every environment), as a PATCH answers; DELETE answers nothing. */
  represent?: boolean;
}

/**
 * Deletes the flag in one transaction with it locked: refused (409) while another flag has it as a prerequisite,
 * while it is a holdout's flag, or where a flag guard refuses (a running experiment). Answers the flag as it was
 * when `represent` is asked, otherwise undefined.
 */
export async function deleteFlagEverywhere(deps: Deps, deletion: FlagDeletion): Promise<Record<string, unknown> | undefined> {
  const { project } = deletion;
  const now = deps.now();
  const outcome = await deps.store.tx(async (trx) => {
    const flag = await lockFlag(trx, deps.store, project, deletion.flagKey);
    // Read after the lock that adding a prerequisite takes: one added meanwhile is seen.
    await lockNames(trx, deps.store, [prerequisitesLock(project.id)]);
    const dependents = [...new Set((await prerequisiteDependents(trx, project.id, flag.row.key)).map((d) => `"${d.flagKey}"`))];
    if (dependents.length > 0) {
      throw conflict(`Flag "${flag.row.key}" is a prerequisite of ${dependents.join(', ')}; remove those prerequisites before deleting it`);
    }
    // A holdout's flag lives as long as its holdout (holdouts have no delete, as in LaunchDarkly).
    const holdout = await trx
      .selectFrom('holdouts as h')
      .innerJoin('environments as e', 'e.id', 'h.environment_id')
      .select(['h.key', 'e.key as environmentKey'])
      .where('e.project_id', '=', project.id)
      .where('h.flag_key', '=', flag.row.key)
      .executeTakeFirst();
    if (holdout) throw conflict(`Flag "${flag.row.key}" is the flag of holdout "${holdout.key}" in environment "${holdout.environmentKey}"; it cannot be deleted`);
    await guardFlagDeletion(trx, deps.store, project, flag);
    let rep: Record<string, unknown> | undefined;
    if (deletion.represent) {
      const environments = (await listEnvironments(trx, project.id)).filter((env) => flag.configs.has(env.id));
      rep = representFlag(project.key, {
        key: flag.row.key,
        doc: flag.doc,
        environments: withConfigs(environments, flag.configs),
        maintainer: await maintainerOf(trx, flag.doc),
        maintainerTeam: await maintainerTeamOf(trx, flag.doc),
      });
    }
    if (deletion.dryRun) return { rep, flagId: undefined };
    await deleteFlag(trx, flag.row.id);
    await forgetExpiringTargets(trx, { resource: 'flag', resourceId: flag.row.id });
    await recordAudit(trx, deletion.actor, now, {
      kind: 'flag',
      resource: `proj/${project.key}:env/*:flag/${flag.row.key}`,
      action: 'deleteFlag',
      name: flag.doc.name,
      description: `deleted the flag ${flag.doc.name}`,
      projectKey: project.key,
      ...(deletion.comment !== undefined ? { comment: deletion.comment } : {}),
      before: representFlag(project.key, { key: flag.row.key, doc: flag.doc }),
    });
    return { rep, flagId: flag.row.id };
  });
  if (outcome.flagId !== undefined) deps.changed({ kind: 'flag', projectId: project.id, id: outcome.flagId });
  return outcome.rep;
}
