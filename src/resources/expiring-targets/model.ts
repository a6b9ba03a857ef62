// Expiring targets: a context individually targeted by a flag (to a variation) or by a segment (included or
// excluded) in an environment, scheduled to leave that targeting at a date. The PATCH operations schedule, move and
// cancel removals instruction by instruction (each may fail on its own, as LaunchDarkly reports them); a job removes
// the contexts whose date has come, through the flag's or segment's own update path.
import { Type, type TObject, type TProperties } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Actor, Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { link } from '../../http/links.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { ExpiringTargetsTable } from '../../store/schema.js';
import { objectId } from '../../store/ids.js';
import { startJob, type JobLog } from '../../http/jobs.js';
import { recordAudit } from '../audit-log/record.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { flagResource } from '../flags/inEnvironment.js';
import { parseFlagUpdate } from '../flags/update.js';
import { commitSegmentUpdate } from '../segments/commitUpdate.js';
import { parseSegmentUpdate } from '../segments/update.js';
import { SEMANTIC_PATCH_TYPE } from '../../http/patch/semanticPatch.js';

export type ResourceKind = 'flag' | 'segment';
/** The context operations, or the older user ones (a user key is a `user` context's). */
export type Form = 'context' | 'user';

export interface ExpiringTargetDoc {
  resource: ResourceKind;
  /** The flag's or segment's row id, and its key. */
  resourceId: string;
  resourceKey: string;
  projectKey: string;
  environmentKey: string;
  contextKind: string;
  contextKey: string;
  /** Flags: the variation the context is targeted to. */
  variationId?: string;
  /** Segments: the list the context is on. */
  targetType?: 'included' | 'excluded';
  version: number;
}

/** A stored schedule: a row of `expiring_targets` (migration 012). */
export type ExpiringTargetRow = ExpiringTargetsTable;

/**
 * What may be scheduled once: a context on a flag ("on a single variation per flag"), or a context on one list of
 * a segment.
 */
function slotOf(resource: ResourceKind, resourceId: string, environmentId: string, contextKind: string, contextKey: string, targetType?: string): string {
  return JSON.stringify([resource, resourceId, environmentId, contextKind, contextKey, ...(targetType ? [targetType] : [])]);
}

/** A LIKE pattern for the slots that begin with these parts (the JSON array left open). */
const slotsStartingWith = (...parts: string[]) => `${JSON.stringify(parts).slice(0, -1)}%`;

async function expiringTargetsOf(db: Pick<Trx, 'selectFrom'>, resource: ResourceKind, resourceId: string, environmentId: string): Promise<ExpiringTargetRow[]> {
  return db
    .selectFrom('expiring_targets')
    .selectAll()
    .where('environment_id', '=', environmentId)
    .where('slot', 'like', slotsStartingWith(resource, resourceId, environmentId))
    .orderBy('expiration_date')
    .orderBy('id')
    .execute();
}

/** ExpiringTarget (the context operations) or ExpiringUserTargetItem (the user ones). */
export function representExpiringTarget(row: ExpiringTargetRow, form: Form): Record<string, unknown> {
  const doc = JSON.parse(row.doc) as ExpiringTargetDoc;
  const resourceId =
    doc.resource === 'flag'
      ? { kind: 'flag', projectKey: doc.projectKey, environmentKey: doc.environmentKey, flagKey: doc.resourceKey, key: doc.resourceKey }
      : { kind: 'segment', projectKey: doc.projectKey, environmentKey: doc.environmentKey, key: doc.resourceKey };
  const common = {
    _id: row.id,
    _version: doc.version,
    expirationDate: Number(row.expiration_date),
    ...(doc.variationId !== undefined ? { variationId: doc.variationId } : {}),
    ...(doc.targetType !== undefined ? { targetType: doc.targetType } : {}),
    _resourceId: resourceId,
  };
  return form === 'user' ? { ...common, userKey: doc.contextKey } : { ...common, contextKind: doc.contextKind, contextKey: doc.contextKey };
}

/** One instruction, whatever form it came in. */
export interface ExpiringInstruction {
  index: number;
  op: 'add' | 'update' | 'remove';
  contextKind: string;
  contextKey: string;
  variationId?: string;
  targetType?: 'included' | 'excluded';
  value?: number;
  version?: number;
}

/** The flag or segment the instructions schedule removals from, as the PATCH has locked it. */
export interface ExpiringResource {
  kind: ResourceKind;
  id: string;
  key: string;
  name: string;
  /**
   * Why the instruction cannot apply, if so: a variation the flag lacks (any instruction), or a context not
   * individually targeted there (add and update).
   */
  notTargeted(ins: ExpiringInstruction): string | undefined;
}

export interface ExpiringOutcome {
  items: ExpiringTargetRow[];
  errors: { instructionIndex: number; message: string }[];
}

const sameSpot = (doc: ExpiringTargetDoc, ins: ExpiringInstruction) => doc.variationId === ins.variationId && doc.targetType === ins.targetType;

/**
 * Applies each instruction on its own, in order: a failing one is reported with its index and the others still
 * apply. Inside the caller's transaction, with the resource locked.
 */
export async function applyExpiringInstructions(
  trx: Trx,
  resource: ExpiringResource,
  where: ExpiringWhere,
  instructions: readonly ExpiringInstruction[],
  now: number,
): Promise<ExpiringOutcome> {
  const items: ExpiringTargetRow[] = [];
  const errors: ExpiringOutcome['errors'] = [];
  for (const ins of instructions) {
    const fail = (message: string) => errors.push({ instructionIndex: ins.index, message });
    const slot = slotOf(resource.kind, resource.id, where.environmentId, ins.contextKind, ins.contextKey, ins.targetType);
    const existing = await trx.selectFrom('expiring_targets').selectAll().where('slot', '=', slot).executeTakeFirst();
    const who = `context "${ins.contextKey}" (${ins.contextKind})`;
    const on = `${resource.kind} "${resource.key}"`;
    const problem = resource.notTargeted(ins);
    if (problem) {
      fail(problem);
      continue;
    }
    if (ins.op === 'remove') {
      if (!existing || !sameSpot(JSON.parse(existing.doc) as ExpiringTargetDoc, ins)) {
        fail(`${who} has no scheduled removal from ${on} there`);
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
    if (ins.op === 'add') {
      if (existing) {
        fail(`${who} already has a scheduled removal from ${on}; use the update instruction to move it`);
        continue;
      }
      const doc: ExpiringTargetDoc = {
        resource: resource.kind,
        resourceId: resource.id,
        resourceKey: resource.key,
        projectKey: where.projectKey,
        environmentKey: where.environmentKey,
        contextKind: ins.contextKind,
        contextKey: ins.contextKey,
        ...(ins.variationId !== undefined ? { variationId: ins.variationId } : {}),
        ...(ins.targetType !== undefined ? { targetType: ins.targetType } : {}),
        version: 1,
      };
      const row: ExpiringTargetRow = { id: objectId(now), project_id: where.projectId, environment_id: where.environmentId, slot, doc: JSON.stringify(doc), expiration_date: ins.value! };
      await trx.insertInto('expiring_targets').values(row).execute();
      items.push(row);
      continue;
    }
    if (!existing) {
      fail(`${who} has no scheduled removal from ${on} to update; use the add instruction`);
      continue;
    }
    const doc = JSON.parse(existing.doc) as ExpiringTargetDoc;
    if (ins.version !== undefined && ins.version !== doc.version) {
      fail(`the scheduled removal of ${who} is at version ${doc.version}, not ${ins.version}`);
      continue;
    }
    const moved: ExpiringTargetDoc = { ...doc, ...(ins.variationId !== undefined ? { variationId: ins.variationId } : {}), version: doc.version + 1 };
    const next: ExpiringTargetRow = { ...existing, doc: JSON.stringify(moved), expiration_date: ins.value! };
    await trx.updateTable('expiring_targets').set({ doc: next.doc, expiration_date: next.expiration_date }).where('id', '=', existing.id).execute();
    items.push(next);
  }
  return { items, errors };
}

/** Epoch milliseconds, as UnixMillis: an integer a bigint column and a JavaScript date both hold. */
export const UnixMillis = Type.Integer({ minimum: 0, maximum: 8.64e15 });
const Millis = UnixMillis;
const Kind = Type.String({ minLength: 1 });
const TargetType = Type.Union([Type.Literal('included'), Type.Literal('excluded')]);
/** The instructions of each resource and form: the flag forms name a variation, the segment forms a list. */
function instructionSchemas(resource: ResourceKind, form: Form): Record<string, TObject> {
  const where: TProperties = resource === 'flag' ? { variationId: Type.String({ minLength: 1 }) } : { targetType: TargetType };
  const who: TProperties = form === 'user' ? { userKey: Kind } : { contextKey: Kind, contextKind: Kind };
  const [add, update, remove] = form === 'user' ? ['addExpireUserTargetDate', 'updateExpireUserTargetDate', 'removeExpireUserTargetDate'] : ['addExpiringTarget', 'updateExpiringTarget', 'removeExpiringTarget'];
  return {
    [add]: Type.Object({ kind: Type.Literal(add), value: Millis, ...where, ...who }),
    [update]: Type.Object({ kind: Type.Literal(update), value: Millis, version: Type.Optional(Type.Integer()), ...where, ...who }),
    [remove]: Type.Object({ kind: Type.Literal(remove), ...where, ...who }),
  };
}

/** The semantic patch of one resource and form, as instructions on contexts. */
function readExpiringPatch(body: unknown, resource: ResourceKind, form: Form): { comment?: string; instructions: ExpiringInstruction[] } {
  const patch = readSemanticPatch(body, instructionSchemas(resource, form));
  return {
    comment: patch.comment,
    instructions: patch.instructions.map((raw) => {
      const ins = raw as { kind: string; index: number; value?: number; version?: number; variationId?: string; targetType?: 'included' | 'excluded'; contextKey?: string; contextKind?: string; userKey?: string };
      return {
        index: ins.index,
        op: ins.kind.startsWith('add') ? 'add' : ins.kind.startsWith('update') ? 'update' : 'remove',
        contextKind: ins.contextKind ?? 'user',
        contextKey: ins.contextKey ?? ins.userKey!,
        ...(ins.variationId !== undefined ? { variationId: ins.variationId } : {}),
        ...(ins.targetType !== undefined ? { targetType: ins.targetType } : {}),
        ...(ins.value !== undefined ? { value: ins.value } : {}),
        ...(ins.version !== undefined ? { version: ins.version } : {}),
      };
    }),
  };
}

/** The project and environment a request's schedules are in. */
export interface ExpiringWhere {
  projectKey: string;
  projectId: string;
  environmentId: string;
  environmentKey: string;
}

/**
 * Finds the flag or segment of a request, with its project and environment (404 naming what is missing); inside a
 * PATCH's transaction, `lockIn` is that transaction and the resource is locked in it.
 */
export type LocateResource = (db: Db | Trx, lockIn?: Trx) => Promise<{ where: ExpiringWhere; resource: ExpiringResource }>;

/** A GET of either form: the resource's schedules in the environment (the user form: those of user contexts). */
export async function readExpiringOn(deps: Deps, locate: LocateResource, form: Form, self: string): Promise<Record<string, unknown>> {
  const db = deps.store.db;
  const { where, resource } = await locate(db);
  const rows = (await expiringTargetsOf(db, resource.kind, resource.id, where.environmentId)).filter((row) => form === 'context' || (JSON.parse(row.doc) as ExpiringTargetDoc).contextKind === 'user');
  return { items: rows.map((row) => representExpiringTarget(row, form)), _links: { self: link(self) } };
}

/** A PATCH of either form: every instruction tried on its own in one transaction, with the resource locked. */
export async function patchExpiringOn(deps: Deps, actor: Actor | undefined, body: unknown, kind: ResourceKind, form: Form, locate: LocateResource, self: string): Promise<Record<string, unknown>> {
  const patch = readExpiringPatch(body, kind, form);
  const now = deps.now();
  const outcome = await deps.store.tx(async (trx) => {
    const { where, resource } = await locate(trx, trx);
    const outcome = await applyExpiringInstructions(trx, resource, where, patch.instructions, now);
    if (outcome.items.length > 0) await auditExpiringChange(trx, actor, now, resource, where, body, patch.comment);
    return outcome;
  });
  return expiringPatchResponse(outcome, patch.instructions.length, form, self);
}

/** The PATCH answer: what each successful instruction did, the counts, and the failing instructions by index. */
export function expiringPatchResponse(outcome: ExpiringOutcome, total: number, form: Form, self: string): Record<string, unknown> {
  return {
    items: outcome.items.map((row) => representExpiringTarget(row, form)),
    _links: { self: link(self) },
    totalInstructions: total,
    successfulInstructions: total - outcome.errors.length,
    failedInstructions: outcome.errors.length,
    errors: outcome.errors,
  };
}

/** The audit entry of a PATCH that changed something. */
export function auditExpiringChange(trx: Trx, actor: Actor | undefined, now: number, resource: ExpiringResource, where: { projectKey: string; environmentKey: string }, delta: unknown, comment: string | undefined): Promise<void> {
  return recordAudit(trx, actor, now, {
    kind: resource.kind,
    resource: `proj/${where.projectKey}:env/${where.environmentKey}:${resource.kind}/${resource.key}`,
    action: 'updateExpiringTargets',
    name: resource.name,
    projectKey: where.projectKey,
    description: `changed the scheduled removals of individual targets of the ${resource.kind} ${resource.name} in ${where.environmentKey}`,
    ...(comment !== undefined ? { comment } : {}),
    delta,
  });
}

/**
 * Inside the update's transaction, with the flag or segment locked: whether the schedule still stands (not moved or
 * cancelled since the job read it, and on this very flag or segment, not one deleted and made again with its key).
 * It is forgotten in the same transaction, whatever the answer, unless it was moved.
 */
function stillDue(row: ExpiringTargetRow, doc: ExpiringTargetDoc, now: number, store: Pick<Store, 'kind'>) {
  return async (trx: Trx, resource: { row: { id: string } }): Promise<boolean> => {
    let query = trx.selectFrom('expiring_targets').selectAll().where('id', '=', row.id);
    if (store.kind === 'postgres') query = query.forUpdate();
    const current = await query.executeTakeFirst();
    if (!current || Number(current.expiration_date) > now) return false;
    await trx.deleteFrom('expiring_targets').where('id', '=', row.id).execute();
    return resource.row.id === doc.resourceId;
  };
}

/** Removes one due context through its flag's or segment's update path, and forgets the schedule with it. */
async function removeDue(deps: Deps, row: ExpiringTargetRow, doc: ExpiringTargetDoc, now: number): Promise<void> {
  const scheduled = `${doc.contextKind} "${doc.contextKey}"`;
  const inside = stillDue(row, doc, now, deps.store);
  if (doc.resource === 'flag') {
    const update = parseFlagUpdate({ environmentKey: doc.environmentKey, instructions: [{ kind: 'removeTargets', variationId: doc.variationId, contextKind: doc.contextKind, values: [doc.contextKey] }] }, SEMANTIC_PATCH_TYPE);
    await commitFlagUpdate(deps, {
      project: { id: row.project_id, key: doc.projectKey },
      flagKey: doc.resourceKey,
      update,
      actor: undefined,
      inside,
      audit: (flag) => ({
        resource: flagResource({ projectKey: doc.projectKey, environmentKey: doc.environmentKey, flagKey: doc.resourceKey }),
        action: 'updateTargets',
        description: `removed ${scheduled} from the individual targets of the flag ${flag.name} in ${doc.environmentKey}, as scheduled`,
      }),
    });
    return;
  }
  const kind = doc.targetType === 'excluded' ? 'removeExcludedTargets' : 'removeIncludedTargets';
  const update = parseSegmentUpdate({ environmentKey: doc.environmentKey, instructions: [{ kind, contextKind: doc.contextKind, values: [doc.contextKey] }] }, SEMANTIC_PATCH_TYPE, doc.environmentKey);
  await commitSegmentUpdate(deps, {
    project: { id: row.project_id, key: doc.projectKey },
    environment: { id: row.environment_id, key: doc.environmentKey },
    segmentKey: doc.resourceKey,
    update,
    actor: undefined,
    inside,
    audit: (name) => ({ action: 'updateSegment', description: `removed ${scheduled} from the ${doc.targetType} targets of the segment ${name} in ${doc.environmentKey}, as scheduled` }),
  });
}

/** Forgets the schedules on what a delete removes (a flag, a segment, an environment, a project), in its transaction. */
export async function forgetExpiringTargets(trx: Trx, what: { resource: ResourceKind; resourceId: string; environmentId?: string } | { environmentId: string } | { projectId: string }): Promise<void> {
  let query = trx.deleteFrom('expiring_targets');
  if ('projectId' in what) query = query.where('project_id', '=', what.projectId);
  else if ('resource' in what) query = query.where('slot', 'like', slotsStartingWith(what.resource, what.resourceId));
  else query = query.where('environment_id', '=', what.environmentId);
  await query.execute();
}

/**
 * Removes the contexts whose removal date has come from the flags' and segments' individual targeting (an update:
 * a new version, streamed to the SDKs, audited without a member), and forgets each schedule in the same
 * transaction. A schedule moved or cancelled meanwhile is left as it now is; one whose context is no longer
 * targeted, or whose flag or segment is gone, is forgotten. A removal that fails for another reason is logged and
 * tried again at the next run, and the others go on. Safe on several instances at once: the schedule's row is
 * locked and read again inside the transaction. Returns how many due schedules it read.
 */
export async function expireDueTargets(deps: Deps, log?: JobLog, limit = 100, closing?: AbortSignal): Promise<number> {
  const now = deps.now();
  const due = await deps.store.db.selectFrom('expiring_targets').selectAll().where('expiration_date', '<=', now).orderBy('expiration_date').orderBy('id').limit(limit).execute();
  for (const row of due) {
    // The app is closing: the rest wait for the next run (of this instance or another).
    if (closing?.aborted) break;
    try {
      await removeDue(deps, row, JSON.parse(row.doc) as ExpiringTargetDoc, now);
    } catch (err) {
      if (err instanceof ApiError && err.statusCode < 500) {
        // Refused for good (the flag, segment, environment or variation is gone): nothing is left to remove it from.
        await deps.store.db.deleteFrom('expiring_targets').where('id', '=', row.id).where('expiration_date', '<=', now).execute();
      } else {
        log?.warn({ err, expiringTargetId: row.id }, 'could not remove an expired individual target; trying again at the next run');
      }
    }
  }
  return due.length;
}

/** How often the job looks for due removals. */
const EXPIRY_INTERVAL_MS = 15_000;

/** Runs expireDueTargets every 15 seconds until the app closes. */
export function startExpiryJob(app: FastifyInstance, deps: Deps): void {
  startJob(app, EXPIRY_INTERVAL_MS, (closing) => expireDueTargets(deps, app.log, 100, closing), 'could not remove expired individual targets');
}
