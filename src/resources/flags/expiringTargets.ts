// A flag's expiring targets (the operations under /api/v2/flags/{p}/{key}/expiring-targets and expiring-user-targets):
// the flag as the resource the schedules are on; the schedules themselves are in resources/expiring-targets.
import type { Actor, Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { findProjectEnvironment } from '../environments/environments.js';
import {
  applyExpiringInstructions,
  auditExpiringChange,
  expiringPatchResponse,
  expiringTargetsOf,
  readExpiringPatch,
  representExpiringTarget,
  type ExpiringResource,
  type ExpiringTargetDoc,
  type Form,
} from '../expiring-targets/model.js';
import { findFlag, lockFlag, type FlagConfigDoc, type LoadedFlag } from './model.js';

export interface ExpiringParams {
  projectKey: string;
  featureFlagKey: string;
  environmentKey: string;
}

const selfOf = (p: { projectKey: string; featureFlagKey: string; environmentKey: string }, form: Form) =>
  `/api/v2/flags/${p.projectKey}/${p.featureFlagKey}/expiring-${form === 'user' ? 'user-' : ''}targets/${p.environmentKey}`;

/** Whether the environment's targeting individually targets the context to that variation index. */
function targeted(config: FlagConfigDoc, contextKind: string, contextKey: string, variation: number): boolean {
  const lists = contextKind === 'user' ? [...config.targets, ...config.contextTargets.filter((t) => t.contextKind === 'user')] : config.contextTargets.filter((t) => (t.contextKind ?? 'user') === contextKind);
  return lists.some((t) => t.variation === variation && t.values.includes(contextKey));
}

/** The flag as the resource schedules are on: "the flag must already individually target the context". */
function flagResource(flag: LoadedFlag, environmentId: string, environmentKey: string): ExpiringResource {
  const config = flag.configs.get(environmentId)!;
  return {
    kind: 'flag',
    id: flag.row.id,
    key: flag.row.key,
    name: flag.doc.name,
    notTargeted(ins) {
      const variation = flag.doc.variations.findIndex((v) => v._id === ins.variationId);
      if (variation < 0) return `flag "${flag.row.key}" has no variation with the ID "${ins.variationId}"`;
      if (ins.op !== 'remove' && !targeted(config, ins.contextKind, ins.contextKey, variation)) {
        return `context "${ins.contextKey}" (${ins.contextKind}) is not individually targeted to variation "${ins.variationId}" of flag "${flag.row.key}" in environment "${environmentKey}"`;
      }
      return undefined;
    },
  };
}

/** The flag's scheduled removals in the environment (the user form: those of user contexts). */
export async function readFlagExpiringTargets(deps: Deps, params: ExpiringParams, form: Form): Promise<Record<string, unknown>> {
  const db = deps.store.db;
  const { project, environment } = await findProjectEnvironment(db, params.projectKey, params.environmentKey);
  const flag = await findFlag(db, project, params.featureFlagKey);
  const rows = (await expiringTargetsOf(db, 'flag', flag.row.id, environment.id)).filter((row) => form === 'context' || (JSON.parse(row.doc) as ExpiringTargetDoc).contextKind === 'user');
  return { items: rows.map((row) => representExpiringTarget(row, form)), _links: { self: link(selfOf({ projectKey: project.key, featureFlagKey: flag.row.key, environmentKey: environment.key }, form)) } };
}

/** A PATCH of either form: every instruction tried on its own in one transaction, with the flag locked. */
export async function patchFlagExpiringTargets(deps: Deps, actor: Actor | undefined, params: ExpiringParams, body: unknown, form: Form): Promise<Record<string, unknown>> {
  const patch = readExpiringPatch(body, 'flag', form);
  const now = deps.now();
  const outcome = await deps.store.tx(async (trx) => {
    const { project, environment } = await findProjectEnvironment(trx, params.projectKey, params.environmentKey);
    const flag = await lockFlag(trx, deps.store, project, params.featureFlagKey);
    const resource = flagResource(flag, environment.id, environment.key);
    const where = { projectKey: project.key, projectId: project.id, environmentId: environment.id, environmentKey: environment.key };
    const outcome = await applyExpiringInstructions(trx, resource, where, patch.instructions, now);
    if (outcome.items.length > 0) await auditExpiringChange(trx, actor, now, resource, where, body, patch.comment);
    return outcome;
  });
  return expiringPatchResponse(outcome, patch.instructions.length, form, selfOf(params, form));
}
