// Expiring targets: a context individually targeted by a flag in an environment, scheduled to leave that targeting
// at a date. The PATCH operations schedule, move and cancel removals instruction by instruction (each may fail on
// its own, as LaunchDarkly reports them); a job removes the contexts whose date has come, as a flag update.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Actor, Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import type { Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { commitFlagUpdate } from './commitUpdate.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { findFlag, lockFlag, type FlagConfigDoc, type LoadedFlag } from './model.js';
import { parseFlagUpdate } from './update.js';

export interface ExpiringTargetDoc {
  flagId: string;
  projectKey: string;
  flagKey: string;
  environmentKey: string;
  contextKind: string;
  contextKey: string;
  variationId: string;
  version: number;
}

export interface ExpiringTargetRow {
  id: string;
  project_id: string;
  environment_id: string;
  slot: string;
  doc: string;
  expiration_date: number;
}

/** A context is scheduled for removal from a flag once ("on a single variation per flag"). */
const slotOf = (flagId: string, environmentId: string, contextKind: string, contextKey: string) => JSON.stringify(['flag', flagId, environmentId, contextKind, contextKey]);

export async function expiringTargetsOf(db: Pick<Trx, 'selectFrom'>, flagId: string, environmentId: string): Promise<ExpiringTargetRow[]> {
  const prefix = JSON.stringify(['flag', flagId, environmentId]).slice(0, -1);
  return db.selectFrom('expiring_targets').selectAll().where('environment_id', '=', environmentId).where('slot', 'like', `${prefix}%`).orderBy('expiration_date').orderBy('id').execute();
}

/** ExpiringTarget (the context operations) or ExpiringUserTargetItem (the user ones). */
export function representExpiringTarget(row: ExpiringTargetRow, form: 'context' | 'user'): Record<string, unknown> {
  const doc = JSON.parse(row.doc) as ExpiringTargetDoc;
  const resourceId = { kind: 'flag', projectKey: doc.projectKey, environmentKey: doc.environmentKey, flagKey: doc.flagKey, key: doc.flagKey };
  const common = { _id: row.id, _version: doc.version, expirationDate: Number(row.expiration_date), variationId: doc.variationId, _resourceId: resourceId };
  return form === 'user' ? { ...common, userKey: doc.contextKey } : { ...common, contextKind: doc.contextKind, contextKey: doc.contextKey };
}

/** One instruction, whatever form it came in: the context forms, or the user forms (contextKind `user`). */
export interface ExpiringInstruction {
  index: number;
  op: 'add' | 'update' | 'remove';
  contextKind: string;
  contextKey: string;
  variationId: string;
  value?: number;
  version?: number;
}

export interface ExpiringOutcome {
  items: ExpiringTargetRow[];
  errors: { instructionIndex: number; message: string }[];
}

/** Whether the environment's targeting individually targets the context to that variation index. */
function targeted(config: FlagConfigDoc, contextKind: string, contextKey: string, variation: number): boolean {
  const lists = contextKind === 'user' ? [...config.targets, ...config.contextTargets.filter((t) => t.contextKind === 'user')] : config.contextTargets.filter((t) => (t.contextKind ?? 'user') === contextKind);
  return lists.some((t) => t.variation === variation && t.values.includes(contextKey));
}

/**
 * Applies each instruction on its own, in order: a failing one is reported with its index and the others still
 * apply. Inside the caller's transaction, with the flag locked.
 */
export async function applyExpiringInstructions(
  trx: Trx,
  flag: LoadedFlag,
  where: { projectKey: string; projectId: string; environmentId: string; environmentKey: string },
  instructions: readonly ExpiringInstruction[],
  now: number,
): Promise<ExpiringOutcome> {
  const config = flag.configs.get(where.environmentId)!;
  const items: ExpiringTargetRow[] = [];
  const errors: ExpiringOutcome['errors'] = [];
  for (const ins of instructions) {
    const fail = (message: string) => errors.push({ instructionIndex: ins.index, message });
    const slot = slotOf(flag.row.id, where.environmentId, ins.contextKind, ins.contextKey);
    const existing = await trx.selectFrom('expiring_targets').selectAll().where('slot', '=', slot).executeTakeFirst();
    const variation = flag.doc.variations.findIndex((v) => v._id === ins.variationId);
    const who = `context "${ins.contextKey}" (${ins.contextKind})`;
    if (variation < 0) {
      fail(`flag "${flag.row.key}" has no variation with the ID "${ins.variationId}"`);
      continue;
    }
    if (ins.op === 'remove') {
      if (!existing || (JSON.parse(existing.doc) as ExpiringTargetDoc).variationId !== ins.variationId) {
        fail(`${who} has no scheduled removal from variation "${ins.variationId}" of flag "${flag.row.key}"`);
        continue;
      }
      await trx.deleteFrom('expiring_targets').where('id', '=', existing.id).execute();
      items.push(existing);
      continue;
    }
    if (!(ins.value! > now)) {
      fail(`the removal date ${ins.value} is not in the future`);
      continue;
    }
    if (!targeted(config, ins.contextKind, ins.contextKey, variation)) {
      fail(`${who} is not individually targeted to variation "${ins.variationId}" of flag "${flag.row.key}" in environment "${where.environmentKey}"`);
      continue;
    }
    if (ins.op === 'add') {
      if (existing) {
        fail(`${who} already has a scheduled removal from flag "${flag.row.key}"; use the update instruction to move it`);
        continue;
      }
      const doc: ExpiringTargetDoc = {
        flagId: flag.row.id,
        projectKey: where.projectKey,
        flagKey: flag.row.key,
        environmentKey: where.environmentKey,
        contextKind: ins.contextKind,
        contextKey: ins.contextKey,
        variationId: ins.variationId,
        version: 1,
      };
      const row: ExpiringTargetRow = { id: objectId(now), project_id: where.projectId, environment_id: where.environmentId, slot, doc: JSON.stringify(doc), expiration_date: ins.value! };
      await trx.insertInto('expiring_targets').values(row).execute();
      items.push(row);
      continue;
    }
    if (!existing) {
      fail(`${who} has no scheduled removal from flag "${flag.row.key}" to update; use the add instruction`);
      continue;
    }
    const doc = JSON.parse(existing.doc) as ExpiringTargetDoc;
    if (ins.version !== undefined && ins.version !== doc.version) {
      fail(`the scheduled removal of ${who} is at version ${doc.version}, not ${ins.version}`);
      continue;
    }
    const next: ExpiringTargetRow = { ...existing, doc: JSON.stringify({ ...doc, variationId: ins.variationId, version: doc.version + 1 }), expiration_date: ins.value! };
    await trx.updateTable('expiring_targets').set({ doc: next.doc, expiration_date: next.expiration_date }).where('id', '=', existing.id).execute();
    items.push(next);
  }
  return { items, errors };
}

/** The audit entry of a PATCH that changed something. */
export function auditExpiringChange(trx: Trx, actor: Actor | undefined, now: number, flag: LoadedFlag, where: { projectKey: string; environmentKey: string }, delta: unknown, comment: string | undefined): Promise<void> {
  return recordAudit(trx, actor, now, {
    kind: 'flag',
    resource: `proj/${where.projectKey}:env/${where.environmentKey}:flag/${flag.row.key}`,
    action: 'updateExpiringTargets',
    name: flag.doc.name,
    projectKey: where.projectKey,
    description: `changed the scheduled removals of individual targets of the flag ${flag.doc.name} in ${where.environmentKey}`,
    ...(comment !== undefined ? { comment } : {}),
    delta,
  });
}

export function expiringLinks(projectKey: string, flagKey: string, environmentKey: string, form: 'context' | 'user'): Record<string, ReturnType<typeof link>> {
  return { self: link(`/api/v2/flags/${projectKey}/${flagKey}/expiring-${form === 'user' ? 'user-' : ''}targets/${environmentKey}`) };
}

/**
 * Removes the contexts whose removal date has come from the flags' individual targeting (a flag update: a new
 * version, streamed to the SDKs, audited as `updateTargets`), then forgets the schedules. A schedule whose context
 * is no longer targeted, or whose flag is gone, is forgotten too. Safe to run on several instances at once: a second
 * removal changes nothing. Returns how many schedules it handled.
 */
export async function expireDueTargets(deps: Deps, limit = 100): Promise<number> {
  const due = await deps.store.db.selectFrom('expiring_targets').selectAll().where('expiration_date', '<=', deps.now()).orderBy('expiration_date').limit(limit).execute();
  for (const row of due) {
    const doc = JSON.parse(row.doc) as ExpiringTargetDoc;
    const update = parseFlagUpdate(
      { environmentKey: doc.environmentKey, instructions: [{ kind: 'removeTargets', variationId: doc.variationId, contextKind: doc.contextKind, values: [doc.contextKey] }] },
      'application/json; domain-model=launchdarkly.semanticpatch',
    );
    try {
      await commitFlagUpdate(deps, {
        project: { id: row.project_id, key: doc.projectKey },
        flagKey: doc.flagKey,
        update,
        actor: undefined,
        audit: (flag) => ({
          resource: `proj/${doc.projectKey}:env/${doc.environmentKey}:flag/${doc.flagKey}`,
          action: 'updateTargets',
          description: `removed ${doc.contextKind} "${doc.contextKey}" from the individual targets of the flag ${flag.name} in ${doc.environmentKey}, as scheduled`,
        }),
      });
    } catch (err) {
      // A refusal (the flag, its environment or the variation is gone) is final: there is nothing left to remove the
      // context from. Anything else (the store) is tried again at the next run.
      if (!(err instanceof ApiError) || err.statusCode >= 500) throw err;
    }
    await deps.store.db.deleteFrom('expiring_targets').where('id', '=', row.id).execute();
  }
  return due.length;
}

/** How often the job looks for due removals. */
const EXPIRY_INTERVAL_MS = 15_000;

/** Runs expireDueTargets every 15 seconds until the app closes. */
export function startExpiryJob(app: FastifyInstance, deps: Deps): void {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(() => expireDueTargets(deps)).catch((err: unknown) => app.log.warn({ err }, 'could not remove expired individual targets'));
  }, EXPIRY_INTERVAL_MS).unref();
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await running;
  });
}

type Form = 'context' | 'user';
export interface ExpiringParams {
  projectKey: string;
  featureFlagKey: string;
  environmentKey: string;
}

/** The flag's scheduled removals in the environment (the user form: those of user contexts). */
export async function readExpiringTargets(deps: Deps, params: ExpiringParams, form: Form): Promise<Record<string, unknown>> {
  const db = deps.store.db;
  const { project, environment } = await findProjectEnvironment(db, params.projectKey, params.environmentKey);
  const flag = await findFlag(db, project, params.featureFlagKey);
  const rows = (await expiringTargetsOf(db, flag.row.id, environment.id)).filter((row) => form === 'context' || (JSON.parse(row.doc) as ExpiringTargetDoc).contextKind === 'user');
  return { items: rows.map((row) => representExpiringTarget(row, form)), _links: expiringLinks(project.key, flag.row.key, environment.key, form) };
}

const Millis = Type.Number();
const Context = { variationId: Type.String({ minLength: 1 }), contextKey: Type.String({ minLength: 1 }), contextKind: Type.String({ minLength: 1 }) };
const User = { variationId: Type.String({ minLength: 1 }), userKey: Type.String({ minLength: 1 }) };
const CONTEXT_INSTRUCTIONS = {
  addExpiringTarget: Type.Object({ kind: Type.Literal('addExpiringTarget'), value: Millis, ...Context }),
  updateExpiringTarget: Type.Object({ kind: Type.Literal('updateExpiringTarget'), value: Millis, version: Type.Optional(Type.Integer()), ...Context }),
  removeExpiringTarget: Type.Object({ kind: Type.Literal('removeExpiringTarget'), ...Context }),
};
const USER_INSTRUCTIONS = {
  addExpireUserTargetDate: Type.Object({ kind: Type.Literal('addExpireUserTargetDate'), value: Millis, ...User }),
  updateExpireUserTargetDate: Type.Object({ kind: Type.Literal('updateExpireUserTargetDate'), value: Millis, version: Type.Optional(Type.Integer()), ...User }),
  removeExpireUserTargetDate: Type.Object({ kind: Type.Literal('removeExpireUserTargetDate'), ...User }),
};
const OPS: Record<string, ExpiringInstruction['op']> = {
  addExpiringTarget: 'add',
  updateExpiringTarget: 'update',
  removeExpiringTarget: 'remove',
  addExpireUserTargetDate: 'add',
  updateExpireUserTargetDate: 'update',
  removeExpireUserTargetDate: 'remove',
};

/** The semantic patch of either form, as instructions on contexts (a user key is a `user` context's). */
function readExpiringPatch(body: unknown, form: Form): { comment?: string; instructions: ExpiringInstruction[] } {
  const patch = form === 'user' ? readSemanticPatch(body, USER_INSTRUCTIONS) : readSemanticPatch(body, CONTEXT_INSTRUCTIONS);
  return {
    comment: patch.comment,
    instructions: patch.instructions.map((raw) => {
      const ins = raw as { kind: string; index: number; value?: number; version?: number; variationId: string; contextKey?: string; contextKind?: string; userKey?: string };
      return {
        index: ins.index,
        op: OPS[ins.kind],
        contextKind: ins.contextKind ?? 'user',
        contextKey: ins.contextKey ?? ins.userKey!,
        variationId: ins.variationId,
        ...(ins.value !== undefined ? { value: ins.value } : {}),
        ...(ins.version !== undefined ? { version: ins.version } : {}),
      };
    }),
  };
}

/**
 * A PATCH of either form: every instruction tried on its own in one transaction, with the flag locked; the answer
 * counts and lists what each did, and names the failing ones by index.
 */
export async function patchExpiring(deps: Deps, actor: Actor | undefined, params: ExpiringParams, body: unknown, form: Form): Promise<Record<string, unknown>> {
  const patch = readExpiringPatch(body, form);
  const now = deps.now();
  const { project, environment, outcome } = await deps.store.tx(async (trx) => {
    const { project, environment } = await findProjectEnvironment(trx, params.projectKey, params.environmentKey);
    const flag = await lockFlag(trx, deps.store, project, params.featureFlagKey);
    const where = { projectKey: project.key, projectId: project.id, environmentId: environment.id, environmentKey: environment.key };
    const outcome = await applyExpiringInstructions(trx, flag, where, patch.instructions, now);
    if (outcome.items.length > 0) await auditExpiringChange(trx, actor, now, flag, where, body, patch.comment);
    return { project, environment, outcome };
  });
  return {
    items: outcome.items.map((row) => representExpiringTarget(row, form)),
    _links: expiringLinks(project.key, params.featureFlagKey, environment.key, form),
    totalInstructions: patch.instructions.length,
    successfulInstructions: patch.instructions.length - outcome.errors.length,
    failedInstructions: outcome.errors.length,
    errors: outcome.errors,
  };
}
