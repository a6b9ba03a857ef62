// A flag's expiring targets (the operations under /api/v2/flags/{p}/{key}/expiring-targets and expiring-user-targets):
// the flag as the resource the schedules are on; the schedules themselves are in resources/expiring-targets.
import { Type } from '@sinclair/typebox';
import type { Actor, Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { link } from '../../http/links.js';
import { findProjectEnvironment } from '../environments/environments.js';
import {
  applyExpiringInstructions,
  auditExpiringChange,
  expiringPatchResponse,
  patchExpiringOn,
  readExpiringOn,
  representExpiringTarget,
  type ExpiringInstruction,
  type ExpiringOutcome,
  type ExpiringResource,
  type ExpiringTargetDoc,
  type Form,
  type LocateResource,
  UnixMillis,
} from '../expiring-targets/model.js';
import { findFlag, lockFlag, type FlagConfigDoc, type LoadedFlag } from './model.js';

export interface ExpiringParams {
  projectKey: string;
  featureFlagKey: string;
  environmentKey: string;
}

const selfOf = (p: { projectKey: string; featureFlagKey: string; environmentKey: string }, form: Form) =>
  `/api/v2/flags/${p.projectKey}/${p.featureFlagKey}/expiring-${form === 'user' ? 'user-' : ''}targets/${p.environmentKey}`;

/**
 * Whether the environment's targeting individually targets the context to that variation index: user keys in
 * `targets` (a `user` entry of `contextTargets` only orders them, as LaunchDarkly's), other kinds in `contextTargets`;
 * the lists removeTargets edits when the date comes.
 */
function targeted(config: FlagConfigDoc, contextKind: string, contextKey: string, variation: number): boolean {
  const lists = contextKind === 'user' ? config.targets : config.contextTargets.filter((t) => t.contextKind === contextKind);
  return lists.some((t) => t.variation === variation && t.values.includes(contextKey));
}

/** The flag as the resource schedules are on: "the flag must already individually target the context". */
export function flagResource(flag: LoadedFlag, environmentId: string, environmentKey: string): ExpiringResource {
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

/** The flag of a request's path, with its project and environment. */
function locateFlag(deps: Deps, params: ExpiringParams): LocateResource {
  return async (db, lockIn) => {
    const { project, environment } = await findProjectEnvironment(db, params.projectKey, params.environmentKey);
    const flag = lockIn ? await lockFlag(lockIn, deps.store, project, params.featureFlagKey) : await findFlag(db, project, params.featureFlagKey);
    return {
      where: { projectKey: project.key, projectId: project.id, environmentId: environment.id, environmentKey: environment.key },
      resource: flagResource(flag, environment.id, environment.key),
    };
  };
}

/** The flag's scheduled removals in the environment (the user form: those of user contexts). */
export function readFlagExpiringTargets(deps: Deps, params: ExpiringParams, form: Form): Promise<Record<string, unknown>> {
  return readExpiringOn(deps, locateFlag(deps, params), form, selfOf(params, form));
}

/** A PATCH of either form: every instruction tried on its own in one transaction, with the flag locked. */
export function patchFlagExpiringTargets(deps: Deps, actor: Actor | undefined, params: ExpiringParams, body: unknown, form: Form): Promise<Record<string, unknown>> {
  return patchExpiringOn(deps, actor, body, 'flag', form, locateFlag(deps, params), selfOf(params, form));
}

export interface UserExpiringParams {
  projectKey: string;
  userKey: string;
  environmentKey: string;
}

const userSelf = (p: UserExpiringParams) => `/api/v2/users/${p.projectKey}/${p.userKey}/expiring-user-targets/${p.environmentKey}`;

/** getExpiringFlagsForUser: a user's scheduled removals from every flag of the environment. */
export async function readUserExpiringFlags(deps: Deps, params: UserExpiringParams): Promise<Record<string, unknown>> {
  const db = deps.store.db;
  const { environment } = await findProjectEnvironment(db, params.projectKey, params.environmentKey);
  const rows = await db.selectFrom('expiring_targets').selectAll().where('environment_id', '=', environment.id).orderBy('expiration_date').orderBy('id').execute();
  const mine = rows.filter((row) => {
    const doc = JSON.parse(row.doc) as ExpiringTargetDoc;
    return doc.resource === 'flag' && doc.contextKind === 'user' && doc.contextKey === params.userKey;
  });
  return { items: mine.map((row) => representExpiringTarget(row, 'user')), _links: { self: link(userSelf(params)) } };
}

const UserFlagInstruction = {
  flagKey: Type.String({ minLength: 1 }),
  variationId: Type.String({ minLength: 1 }),
};
const USER_FLAG_INSTRUCTIONS = {
  addExpireUserTargetDate: Type.Object({ kind: Type.Literal('addExpireUserTargetDate'), value: UnixMillis, ...UserFlagInstruction }),
  updateExpireUserTargetDate: Type.Object({ kind: Type.Literal('updateExpireUserTargetDate'), value: UnixMillis, version: Type.Optional(Type.Integer()), ...UserFlagInstruction }),
  removeExpireUserTargetDate: Type.Object({ kind: Type.Literal('removeExpireUserTargetDate'), ...UserFlagInstruction }),
};

/**
 * patchExpiringFlagsForUser: the user's removals from the flags its instructions name, each instruction on its own
 * (a flag that does not exist fails that instruction), in one transaction; one audit entry per flag changed.
 */
export async function patchUserExpiringFlags(deps: Deps, actor: Actor | undefined, params: UserExpiringParams, body: unknown): Promise<Record<string, unknown>> {
  const patch = readSemanticPatch(body, USER_FLAG_INSTRUCTIONS);
  const now = deps.now();
  const outcome = await deps.store.tx(async (trx) => {
    const { project, environment } = await findProjectEnvironment(trx, params.projectKey, params.environmentKey);
    const where = { projectKey: project.key, projectId: project.id, environmentId: environment.id, environmentKey: environment.key };
    const items: ExpiringOutcome['items'] = [];
    const errors: ExpiringOutcome['errors'] = [];
    const changed = new Map<string, ExpiringResource>();
    for (const raw of patch.instructions) {
      const { kind, index, flagKey, variationId } = raw;
      let locked: LoadedFlag;
      try {
        locked = await lockFlag(trx, deps.store, project, flagKey);
      } catch (err) {
        if (!(err instanceof ApiError) || err.statusCode !== 404) throw err;
        errors.push({ instructionIndex: index, message: `no flag has the key "${flagKey}" in project "${project.key}"` });
        continue;
      }
      const resource = flagResource(locked, environment.id, environment.key);
      const ins: ExpiringInstruction = {
        index,
        op: kind.startsWith('add') ? 'add' : kind.startsWith('update') ? 'update' : 'remove',
        contextKind: 'user',
        contextKey: params.userKey,
        variationId,
        ...('value' in raw ? { value: raw.value } : {}),
        ...('version' in raw && raw.version !== undefined ? { version: raw.version } : {}),
      };
      const one = await applyExpiringInstructions(trx, resource, where, [ins], now);
      items.push(...one.items);
      errors.push(...one.errors);
      if (one.items.length > 0) changed.set(flagKey, resource);
    }
    for (const resource of changed.values()) await auditExpiringChange(trx, actor, now, resource, where, body, patch.comment);
    return { items, errors };
  });
  return expiringPatchResponse(outcome, patch.instructions.length, 'user', userSelf(params));
}
