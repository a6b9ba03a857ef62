// What the flag-scoped and the account-wide approval routes both do, given the flag in its environment: ask, review,
// change, apply, delete. Each is one transaction; applying goes through the flag update path.
import { Type } from '@sinclair/typebox';
import type { Actor, Deps } from '../../http/context.js';
import { ApiError, forbidden, invalidRequest, optimisticLock, validationFailed, type FieldError } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { objectId } from '../../store/ids.js';
import type { Db, Trx } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { environmentApprovalSettings, type ApprovalSettings } from '../environments/approvalSettings.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { flagEnvironmentAudit, flagInEnvironment, flagResource, type FlagInEnvironment, type FlagPlace } from '../flags/inEnvironment.js';
import { executionDateProblem, readScheduledInstructions, type ScheduledChangeDoc } from '../scheduled-changes/model.js';
import { scheduledUpdate } from '../scheduled-changes/scope.js';
import { lockFlag } from '../flags/model.js';
import { APPROVABLE, applyProblem, approvalDoc, approvalsOf, byActor, findApproval, isRequestor, readReviewers, reviewStatusOf, type ApprovalDoc, type ApprovalRow, type Review } from './model.js';

export interface Outcome {
  row: ApprovalRow;
  scope: FlagInEnvironment;
  siblings: ApprovalRow[];
}

function paramsOf(place: FlagPlace) {
  return { projectKey: place.projectKey, featureFlagKey: place.flagKey, environmentKey: place.environmentKey };
}

/** The flag and environment of the request with this id (404 when there is none). */
export async function scopeOfApproval(deps: Deps, db: Db | Trx, id: string): Promise<FlagInEnvironment> {
  const found = await db
    .selectFrom('flag_approval_requests as a')
    .innerJoin('flags as f', 'f.id', 'a.flag_id')
    .innerJoin('projects as p', 'p.id', 'a.project_id')
    .innerJoin('environments as e', 'e.id', 'a.environment_id')
    .select(['p.key as projectKey', 'f.key as featureFlagKey', 'e.key as environmentKey'])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!found) throw new ApiError(404, 'not_found', `Approval request "${id}" not found`);
  return flagInEnvironment(deps, db, found);
}

function audit(scope: FlagInEnvironment, action: string, verb: string, versions: { before?: ApprovalRow; after?: ApprovalRow }, comment?: string) {
  const shown = (row: ApprovalRow) => ({ _id: row.id, status: row.status, reviewStatus: row.review_status, requestorId: row.requestor_id, ...approvalDoc(row) });
  return flagEnvironmentAudit(
    scope.place,
    scope.flag.doc.name,
    action,
    `${verb} for the flag ${scope.flag.doc.name} in ${scope.place.environmentKey}`,
    { ...(versions.before ? { before: shown(versions.before) } : {}), ...(versions.after ? { after: shown(versions.after) } : {}) },
    comment !== undefined ? { comment } : {},
  );
}

function objectBody(body: unknown, example: string): Record<string, unknown> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw validationFailed([{ attribute: 'body', reason: `must be an object ${example}` }]);
  return body as Record<string, unknown>;
}

/** The longest description or comment taken (LaunchDarkly's bound on a request's description). */
const MAX_TEXT = 5000;

function optionalString(input: Record<string, unknown>, field: string, errors: FieldError[]): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') errors.push({ attribute: field, reason: 'must be a string' });
  else if (value.length > MAX_TEXT) errors.push({ attribute: field, reason: `must be at most ${MAX_TEXT} characters` });
  return typeof value === 'string' ? value : undefined;
}

function descriptionProblem(value: unknown, attribute: string): FieldError | undefined {
  if (typeof value !== 'string' || value.trim() === '') return { attribute, reason: 'must be a non-empty string' };
  if (value.length > MAX_TEXT) return { attribute, reason: `must be at most ${MAX_TEXT} characters` };
  return undefined;
}

/** Creates a pending request for the flag in the environment (its instructions must apply to the flag as it is now). */
export async function createApproval(deps: Deps, place: FlagPlace, body: unknown, actor: Actor | undefined, extraFields: string[] = []): Promise<Outcome> {
  const input = objectBody(body, '{"description": ..., "instructions": [...]}');
  const known = new Set(['description', 'instructions', 'comment', 'notifyMemberIds', 'notifyTeamKeys', 'executionDate', 'operatingOnId', 'integrationConfig', ...extraFields]);
  const errors: FieldError[] = Object.keys(input)
    .filter((field) => !known.has(field))
    .map((field) => ({ attribute: field, reason: 'is not a field of an approval request' }));
  const described = descriptionProblem(input.description, 'description');
  if (described) errors.push(described);
  const comment = optionalString(input, 'comment', errors);
  const now = deps.now();
  if (input.executionDate !== undefined && input.executionDate !== null) {
    const problem = executionDateProblem(input.executionDate, now, 'executionDate');
    if (problem) errors.push(problem);
  }
  if (input.operatingOnId !== undefined) errors.push({ attribute: 'operatingOnId', reason: 'is not supported: iterlab approval requests cannot edit or delete scheduled changes' });
  if (input.integrationConfig !== undefined && input.integrationConfig !== null) errors.push({ attribute: 'integrationConfig', reason: 'is not supported: iterlab has no approval integrations (its approval service is launchdarkly)' });
  if (errors.length > 0) throw validationFailed(errors);
  const instructions = readScheduledInstructions(input.instructions, 'instructions', APPROVABLE);
  const notifyMemberIds = await readReviewers(deps.store.db, input.notifyMemberIds, input.notifyTeamKeys);
  const checked = await flagInEnvironment(deps, deps.store.db, paramsOf(place));
  // The instructions must apply now (a 400 or 409 names why not), and need no approval but this environment's: a
  // variation change needs it wherever it is required.
  await commitFlagUpdate(deps, {
    project: checked.project,
    flagKey: checked.place.flagKey,
    update: scheduledUpdate(checked.place.environmentKey, instructions),
    actor,
    dryRun: true,
    requireApproval: true,
    approvedIn: checked.place.environmentKey,
  });
  return deps.store.tx(async (trx) => {
    const scope = await flagInEnvironment(deps, trx, paramsOf(place));
    // Held until commit, so that the flag is not deleted under the new row.
    await lockFlag(trx, deps.store, scope.project, scope.place.flagKey);
    const others = await approvalsOf(trx, scope.flag.row.id, scope.environment.id);
    const doc: ApprovalDoc = {
      description: input.description as string,
      instructions,
      notifyMemberIds,
      allReviews: [],
      ...(comment !== undefined ? { comment } : {}),
      ...(typeof input.executionDate === 'number' ? { executionDate: input.executionDate } : {}),
      version: 1,
    };
    const row: ApprovalRow = {
      id: objectId(now),
      project_id: scope.project.id,
      flag_id: scope.flag.row.id,
      environment_id: scope.environment.id,
      status: 'pending',
      review_status: 'pending',
      requestor_id: actor?.memberId ?? deps.accountId,
      doc: JSON.stringify(doc),
      created_at: now,
    };
    await trx.insertInto('flag_approval_requests').values(row).execute();
    await recordAudit(trx, actor, now, audit(scope, 'createApprovalRequest', 'requested approval', { after: row }, comment));
    return { row, scope, siblings: [row, ...others] };
  });
}

/**
 * Locks the request (by id, in the flag and environment) inside a write, with everything around it, and the
 * environment's approval settings as this transaction reads them (not as a cache last saw them).
 */
async function lockedApproval(deps: Deps, trx: Trx, place: FlagPlace, id: string) {
  const scope = await flagInEnvironment(deps, trx, paramsOf(place));
  const row = await findApproval(trx, { flagId: scope.flag.row.id, environmentId: scope.environment.id, id }, deps.store);
  const others = (await approvalsOf(trx, scope.flag.row.id, scope.environment.id)).filter((o) => o.id !== id);
  const environment = await trx.selectFrom('environments').select('doc').where('id', '=', scope.environment.id).executeTakeFirstOrThrow();
  return { scope, row, others, settings: environmentApprovalSettings(environment) };
}

const REVIEW_KINDS = ['approve', 'decline', 'comment'];

/** Adds a review: an approval or a decline of a pending request (of someone else's, unless the settings allow one's own), or a comment. */
export async function reviewApproval(deps: Deps, place: FlagPlace, id: string, body: unknown, actor: Actor | undefined): Promise<Outcome> {
  const input = objectBody(body, '{"kind": "approve" | "decline" | "comment", "comment"?: ...}');
  const errors: FieldError[] = [];
  if (typeof input.kind !== 'string' || !REVIEW_KINDS.includes(input.kind)) errors.push({ attribute: 'kind', reason: 'must be one of approve, decline, comment' });
  const comment = optionalString(input, 'comment', errors);
  if (errors.length > 0) throw validationFailed(errors);
  const kind = input.kind as Review['kind'];
  const now = deps.now();
  return deps.store.tx(async (trx) => {
    const { scope, row, others, settings } = await lockedApproval(deps, trx, place, id);
    if (kind !== 'comment') {
      if (row.status !== 'pending') throw invalidRequest(`The approval request is ${row.status}; only a pending request can be approved or declined`);
      if (isRequestor(actor, row, deps.accountId) && !settings.canReviewOwnRequest) throw forbidden(`Forbidden. You cannot ${kind} your own approval request: the environment's approval settings do not allow it (canReviewOwnRequest)`);
    }
    const doc = approvalDoc(row);
    const review: Review = {
      _id: objectId(now),
      kind,
      creationDate: now,
      ...(comment !== undefined ? { comment } : {}),
      ...byActor(actor, deps.accountId),
      principal: actor?.memberId ?? deps.accountId,
    };
    const allReviews = [...doc.allReviews, review];
    const next: ApprovalRow = { ...row, review_status: reviewStatusOf(allReviews, settings), doc: JSON.stringify({ ...doc, allReviews, version: doc.version + 1 }) };
    await trx.updateTable('flag_approval_requests').set({ review_status: next.review_status, doc: next.doc }).where('id', '=', row.id).execute();
    const verb = kind === 'approve' ? 'approved an approval request' : kind === 'decline' ? 'declined an approval request' : 'commented on an approval request';
    await recordAudit(trx, actor, now, audit(scope, 'reviewApprovalRequest', verb, { before: row, after: next }, comment));
    return { row: next, scope, siblings: [next, ...others] };
  });
}

const PATCH_INSTRUCTIONS = {
  addReviewers: Type.Object({ kind: Type.Literal('addReviewers'), notifyMemberIds: Type.Optional(Type.Unknown()), notifyTeamKeys: Type.Optional(Type.Unknown()) }),
  updateDescription: Type.Object({ kind: Type.Literal('updateDescription'), value: Type.Unknown() }),
};

/** A semantic patch on a request: addReviewers, updateDescription. All apply or none. */
export async function patchApproval(deps: Deps, place: FlagPlace, id: string, body: unknown, actor: Actor | undefined): Promise<Outcome> {
  const patch = readSemanticPatch(body, PATCH_INSTRUCTIONS);
  let description: string | undefined;
  const added: string[] = [];
  for (const instruction of patch.instructions) {
    const at = `instructions[${instruction.index}]`;
    if (instruction.kind === 'updateDescription') {
      const problem = descriptionProblem(instruction.value, `${at}.value`);
      if (problem) throw validationFailed([problem]);
      description = instruction.value as string;
    } else {
      if (instruction.notifyMemberIds === undefined && instruction.notifyTeamKeys === undefined) throw validationFailed([{ attribute: at, reason: 'addReviewers needs notifyMemberIds or notifyTeamKeys' }]);
      added.push(...(await readReviewers(deps.store.db, instruction.notifyMemberIds, instruction.notifyTeamKeys, `${at}.`)));
    }
  }
  const now = deps.now();
  return deps.store.tx(async (trx) => {
    const { scope, row, others } = await lockedApproval(deps, trx, place, id);
    const doc = approvalDoc(row);
    const notifyMemberIds = [...new Set([...doc.notifyMemberIds, ...added])];
    const changed = (description !== undefined && description !== doc.description) || notifyMemberIds.length !== doc.notifyMemberIds.length;
    if (!changed) return { row, scope, siblings: [row, ...others] };
    const next: ApprovalRow = { ...row, doc: JSON.stringify({ ...doc, ...(description !== undefined ? { description } : {}), notifyMemberIds, version: doc.version + 1 }) };
    await trx.updateTable('flag_approval_requests').set({ doc: next.doc }).where('id', '=', row.id).execute();
    await recordAudit(trx, actor, now, audit(scope, 'updateApprovalRequest', 'updated an approval request', { before: row, after: next }, patch.comment));
    return { row: next, scope, siblings: [next, ...others] };
  });
}

/** Deletes a request, whatever its status. */
export async function deleteApproval(deps: Deps, place: FlagPlace, id: string, actor: Actor | undefined): Promise<void> {
  const now = deps.now();
  await deps.store.tx(async (trx) => {
    const { scope, row } = await lockedApproval(deps, trx, place, id);
    await trx.deleteFrom('flag_approval_requests').where('id', '=', row.id).execute();
    await recordAudit(trx, actor, now, audit(scope, 'deleteApprovalRequest', 'deleted an approval request', { before: row }));
  });
}

/**
 * Applies an approved request: its instructions go through the flag update path now (the request completed in the
 * same transaction), or, with an execution date to come, become a scheduled change. One whose instructions no longer
 * apply is marked failed, and the 4xx says why.
 */
export async function applyApproval(deps: Deps, place: FlagPlace, id: string, body: unknown, actor: Actor | undefined): Promise<Outcome> {
  const input = body === undefined || body === null ? {} : objectBody(body, '{"comment"?: ...}');
  const errors: FieldError[] = [];
  const comment = optionalString(input, 'comment', errors);
  if (errors.length > 0) throw validationFailed(errors);
  const now = deps.now();
  const applied = (row: ApprovalRow, status: 'completed' | 'scheduled', extra: Partial<ApprovalDoc> = {}): ApprovalRow => {
    const doc = approvalDoc(row);
    const by = byActor(actor, deps.accountId);
    const appliedBy = 'memberId' in by ? { appliedByMemberId: by.memberId } : { appliedByServiceTokenId: by.serviceTokenId };
    return { ...row, status, doc: JSON.stringify({ ...doc, ...extra, appliedDate: now, ...appliedBy, version: doc.version + 1 }) };
  };
  const refuse = (row: ApprovalRow, settings: ApprovalSettings) => {
    const problem = applyProblem(row, settings);
    if (problem) throw invalidRequest(`The approval request cannot be applied: ${problem}`);
  };
  const first = await flagInEnvironment(deps, deps.store.db, paramsOf(place));
  const current = await findApproval(deps.store.db, { flagId: first.flag.row.id, environmentId: first.environment.id, id });
  refuse(current, environmentApprovalSettings(first.environment));
  const doc = approvalDoc(current);

  if (doc.executionDate !== undefined && doc.executionDate > now) {
    return deps.store.tx(async (trx) => {
      const { scope, row, others, settings } = await lockedApproval(deps, trx, place, id);
      refuse(row, settings);
      await lockFlag(trx, deps.store, scope.project, scope.place.flagKey);
      const scheduleId = objectId(now);
      const schedule: ScheduledChangeDoc = { instructions: doc.instructions, ...(doc.comment !== undefined ? { comment: doc.comment } : {}), maintainerId: row.requestor_id, version: 1 };
      await trx
        .insertInto('flag_scheduled_changes')
        .values({ id: scheduleId, flag_id: row.flag_id, environment_id: row.environment_id, execution_date: doc.executionDate!, doc: JSON.stringify(schedule), created_at: now })
        .execute();
      const next = applied(row, 'scheduled', { scheduledChangeId: scheduleId });
      await trx.updateTable('flag_approval_requests').set({ status: next.status, doc: next.doc }).where('id', '=', row.id).execute();
      await recordAudit(trx, actor, now, audit(scope, 'applyApprovalRequest', `scheduled an approved request for ${new Date(doc.executionDate!).toISOString()}`, { before: row, after: next }, comment));
      return { row: next, scope, siblings: [next, ...others] };
    });
  }

  let next: ApprovalRow | undefined;
  let updating = false;
  try {
    await commitFlagUpdate(deps, {
      project: first.project,
      flagKey: first.place.flagKey,
      update: scheduledUpdate(first.place.environmentKey, doc.instructions, comment ?? doc.comment),
      actor,
      // Approved here; a variation change still needs approval wherever else it is required.
      requireApproval: true,
      approvedIn: place.environmentKey,
      // With the flag locked: the request is still this one, still pending and still approved enough; completed now.
      inside: async (trx) => {
        const { scope, row, settings } = await lockedApproval(deps, trx, place, id);
        if (row.doc !== current.doc || row.status !== current.status) throw optimisticLock('Conflict. The approval request changed while it was being applied; read it again and retry');
        refuse(row, settings);
        next = applied(row, 'completed');
        await trx.updateTable('flag_approval_requests').set({ status: next.status, doc: next.doc }).where('id', '=', row.id).execute();
        // Its own entry, since instructions that change nothing leave no flag entry behind.
        await recordAudit(trx, actor, now, audit(scope, 'applyApprovalRequest', 'applied an approval request', { before: row, after: next }, comment));
        updating = true;
        return true;
      },
      audit: (flag) => ({
        resource: flagResource(place),
        action: 'updateFlag',
        description: `applied approval request ${id} to the flag ${flag.name} in ${place.environmentKey}`,
      }),
    });
  } catch (err) {
    // A 405 is approval still missing elsewhere (settings changed since it was asked): the request stays pending.
    if (!(updating && err instanceof ApiError && err.statusCode < 500 && err.statusCode !== 405)) throw err;
    // The instructions no longer apply (their rule removed, a variation gone...): the request failed, and says why.
    await deps.store.tx(async (trx) => {
      const { scope, row } = await lockedApproval(deps, trx, place, id);
      if (row.status !== 'pending') return;
      const failedDoc = approvalDoc(row);
      const failed: ApprovalRow = { ...row, status: 'failed', doc: JSON.stringify({ ...failedDoc, failure: err.message, version: failedDoc.version + 1 }) };
      await trx.updateTable('flag_approval_requests').set({ status: 'failed', doc: failed.doc }).where('id', '=', row.id).execute();
      await recordAudit(trx, actor, now, audit(scope, 'applyApprovalRequest', 'failed to apply an approval request', { before: row, after: failed }, comment));
    });
    throw new ApiError(err.statusCode, err.code, `The approval request could not be applied, and is now failed: ${err.message}`, err.errors);
  }
  const scope = await flagInEnvironment(deps, deps.store.db, paramsOf(place));
  const siblings = await approvalsOf(deps.store.db, scope.flag.row.id, scope.environment.id);
  const row = siblings.find((s) => s.id === id) ?? next!;
  return { row, scope, siblings };
}
