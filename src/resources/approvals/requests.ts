// What the flag-scoped and the account-wide approval routes both do, given the flag in its environment: ask, review,
// change, apply, delete. Each is one transaction; applying goes through the flag update path. Reviewing, changing and
// deleting are the same for a segment's requests (segmentRequests.ts), given its RequestKind.
import { Type } from '@sinclair/typebox';
import type { Actor, Deps } from '../../http/context.js';
import { ApiError, forbidden, invalidRequest, objectBody, optimisticLock, validationFailed, type FieldError } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { objectId } from '../../store/ids.js';
import type { Db, Trx } from '../../store/db.js';
import { recordAudit, type AuditEntry } from '../audit-log/record.js';
import { environmentApprovalSettings, type ApprovalResourceKind, type ApprovalSettings } from '../environments/approvalSettings.js';
import { commitFlagUpdate, type FlagUpdateCommit } from '../flags/commitUpdate.js';
import { flagEnvironmentAudit, flagInEnvironment, flagResource, type FlagInEnvironment, type FlagPlace } from '../flags/inEnvironment.js';
import { executionDateProblem, readScheduledInstructions, serviceTokenOf, type ScheduledChangeDoc } from '../scheduled-changes/model.js';
import { scheduledUpdate } from '../scheduled-changes/scope.js';
import { lockFlag } from '../flags/model.js';
import { copyChange, refuseUncopyable } from './copy.js';
import { APPROVABLE, applyProblem, approvalDoc, approvalsOf, byActor, findRequest, isRequestor, requestsOf, type RequestsWhere, readReviewers, reviewStatusOf, type ApprovalDoc, type RequestRow, type RequestTable, type Review } from './model.js';

/** A request after a change, with what it is of and its resource's other requests (itself among them). */
export interface RequestOutcome<S> {
  row: RequestRow;
  scope: S;
  siblings: RequestRow[];
}

export type Outcome = RequestOutcome<FlagInEnvironment>;

/** A request locked inside a write, with its resource's other requests and the settings that govern it, read in that write. */
export interface LockedRequest<S> {
  scope: S;
  row: RequestRow;
  others: RequestRow[];
  settings: ApprovalSettings;
}

/** What reviewing, changing and deleting a request need to know of the kind of resource it is of. */
export interface RequestKind<S> {
  table: RequestTable;
  /** Request `id` of the resource with everything around it; locked on PostgreSQL when `lock`. */
  load(db: Db | Trx, id: string, lock: boolean): Promise<LockedRequest<S>>;
  audit(scope: S, action: string, verb: string, versions: { before?: RequestRow; after?: RequestRow }, comment?: string): AuditEntry;
}

function paramsOf(place: FlagPlace) {
  return { projectKey: place.projectKey, featureFlagKey: place.flagKey, environmentKey: place.environmentKey };
}

/** A request's versions as its audit entries keep them. */
export function shownVersions(versions: { before?: RequestRow; after?: RequestRow }): { before?: unknown; after?: unknown } {
  const shown = (row: RequestRow) => ({ _id: row.id, status: row.status, reviewStatus: row.review_status, requestorId: row.requestor_id, ...approvalDoc(row) });
  return { ...(versions.before ? { before: shown(versions.before) } : {}), ...(versions.after ? { after: shown(versions.after) } : {}) };
}

function audit(scope: FlagInEnvironment, action: string, verb: string, versions: { before?: RequestRow; after?: RequestRow }, comment?: string) {
  return flagEnvironmentAudit(
    scope.place,
    scope.flag.doc.name,
    action,
    `${verb} for the flag ${scope.flag.doc.name} in ${scope.place.environmentKey}`,
    shownVersions(versions),
    comment !== undefined ? { comment } : {},
  );
}

/**
 * Request `id` among the resource's (404 when it is not one of them), locked on PostgreSQL when `lock`, with the
 * others and the settings of the resource kind in its environment, as `db` reads them (not as a cache last saw them).
 */
export async function loadRequest(deps: Deps, db: Db | Trx, where: RequestsWhere, kind: ApprovalResourceKind, id: string, lock: boolean): Promise<Omit<LockedRequest<never>, 'scope'>> {
  const row = await findRequest(db, where, id, lock ? deps.store : undefined);
  const others = (await requestsOf(db, where)).filter((o) => o.id !== id);
  const environment = await db.selectFrom('environments').select('doc').where('id', '=', where.environmentId).executeTakeFirstOrThrow();
  return { row, others, settings: environmentApprovalSettings(environment, kind) };
}

/** The flag's requests in the environment, as reviewing, changing and deleting one reaches them. */
export function flagRequests(deps: Deps, place: FlagPlace): RequestKind<FlagInEnvironment> {
  return {
    table: 'flag_approval_requests',
    load: async (db, id, lock) => {
      const scope = await flagInEnvironment(deps, db, paramsOf(place));
      const where = { table: 'flag_approval_requests', resourceId: scope.flag.row.id, environmentId: scope.environment.id } as const;
      return { scope, ...(await loadRequest(deps, db, where, 'flag', id, lock)) };
    },
    audit,
  };
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

/** What a creation body asks, read and checked (each mistake a 400 naming its field). */
export interface RequestInput {
  description: string;
  instructions: Record<string, unknown>[];
  notifyMemberIds: string[];
  comment?: string;
  executionDate?: number;
  /** A copy request's copy (its instructions are then only what it shows). */
  copy?: ApprovalDoc['copy'];
  /** A workflow stage's request: the workflow, not the apply routes, applies it. */
  customWorkflow?: ApprovalDoc['customWorkflow'];
}

/** What every creation body says besides what it asks for (reviewers apart: readReviewers reads them). */
const REQUEST_FIELDS = ['description', 'comment', 'notifyMemberIds', 'notifyTeamKeys'];

/**
 * A creation body's description and comment, with `errors` growing by their problems and by each member that is not
 * one of `fields` (the route's own, besides those every request has).
 */
export function readRequestFields(input: Record<string, unknown>, fields: readonly string[], errors: FieldError[]): { description: string; comment?: string } {
  const known = new Set([...REQUEST_FIELDS, ...fields]);
  errors.push(...Object.keys(input).filter((field) => !known.has(field)).map((field) => ({ attribute: field, reason: 'is not a field of an approval request' })));
  const described = descriptionProblem(input.description, 'description');
  if (described) errors.push(described);
  const comment = optionalString(input, 'comment', errors);
  return { description: input.description as string, ...(comment !== undefined ? { comment } : {}) };
}

/**
 * A creation body read against `kinds` of instructions. `extraFields` are the route's own members (`resourceId`);
 * `executionDate` is refused with `noExecutionDate`'s reason when the resource has no scheduled changes.
 */
export async function readRequestInput(
  deps: Deps,
  body: unknown,
  kinds: Parameters<typeof readScheduledInstructions>[2],
  options: { extraFields?: string[]; noExecutionDate?: string; example?: string } = {},
): Promise<RequestInput> {
  const input = objectBody(body, '{"description": ..., "instructions": [...]}');
  const errors: FieldError[] = [];
  const fields = readRequestFields(input, ['instructions', 'executionDate', 'operatingOnId', 'integrationConfig', ...(options.extraFields ?? [])], errors);
  const now = deps.now();
  if (input.executionDate !== undefined && input.executionDate !== null) {
    const problem = options.noExecutionDate !== undefined ? { attribute: 'executionDate', reason: options.noExecutionDate } : executionDateProblem(input.executionDate, now, 'executionDate');
    if (problem) errors.push(problem);
  }
  if (input.operatingOnId !== undefined) errors.push({ attribute: 'operatingOnId', reason: 'is not supported: iterlab approval requests cannot edit or delete scheduled changes' });
  if (input.integrationConfig !== undefined && input.integrationConfig !== null) errors.push({ attribute: 'integrationConfig', reason: 'is not supported: iterlab has no approval integrations (its approval service is launchdarkly)' });
  if (errors.length > 0) throw validationFailed(errors);
  const instructions = readScheduledInstructions(input.instructions, 'instructions', kinds, options.example);
  const notifyMemberIds = await readReviewers(deps.store.db, input.notifyMemberIds, input.notifyTeamKeys);
  return {
    ...fields,
    instructions,
    notifyMemberIds,
    ...(typeof input.executionDate === 'number' ? { executionDate: input.executionDate } : {}),
  };
}

/** A new pending request of what `of` names, asked by the caller, as it is stored. */
export function newRequestRow<R extends Record<string, string>>(deps: Deps, actor: Actor | undefined, of: R & { project_id: string; environment_id: string }, input: RequestInput, now: number): RequestRow & R {
  const doc: ApprovalDoc = { ...input, allReviews: [], version: 1 };
  return { id: objectId(now), ...of, status: 'pending', review_status: 'pending', requestor_id: actor?.memberId ?? deps.accountId, doc: JSON.stringify(doc), created_at: now };
}

/** Creates a pending request for the flag in the environment (its instructions must apply to the flag as it is now). */
export async function createApproval(deps: Deps, place: FlagPlace, body: unknown, actor: Actor | undefined, extraFields: string[] = []): Promise<Outcome> {
  const input = await readRequestInput(deps, body, APPROVABLE, { extraFields });
  const checked = await flagInEnvironment(deps, deps.store.db, paramsOf(place));
  // The instructions must apply now (a 400 or 409 names why not), and need no approval but this environment's: a
  // variation change needs it wherever it is required.
  await commitFlagUpdate(deps, {
    project: checked.project,
    flagKey: checked.place.flagKey,
    update: scheduledUpdate(checked.place.environmentKey, input.instructions),
    actor,
    dryRun: true,
    requireApproval: true,
    approvedIn: checked.place.environmentKey,
  });
  return insertApproval(deps, place, input, actor);
}

/** Stores a new pending request of the flag in the environment, its change already checked, with its audit entry. */
export async function insertApproval(deps: Deps, place: FlagPlace, input: RequestInput, actor: Actor | undefined): Promise<Outcome> {
  const now = deps.now();
  return deps.store.tx(async (trx) => {
    const scope = await flagInEnvironment(deps, trx, paramsOf(place));
    // Held until commit, so that the flag is not deleted under the new row.
    await lockFlag(trx, deps.store, scope.project, scope.place.flagKey);
    const others = await approvalsOf(trx, scope.flag.row.id, scope.environment.id);
    const row = newRequestRow(deps, actor, { project_id: scope.project.id, flag_id: scope.flag.row.id, environment_id: scope.environment.id }, input, now);
    await trx.insertInto('flag_approval_requests').values(row).execute();
    await recordAudit(trx, actor, now, audit(scope, 'createApprovalRequest', 'requested approval', { after: row }, input.comment));
    return { row, scope, siblings: [row, ...others] };
  });
}

const REVIEW_KINDS = ['approve', 'decline', 'comment'];

/** Writes a request's status, review status and doc (all a change of one may touch). */
export async function updateRequest(trx: Trx, table: RequestTable, row: RequestRow): Promise<void> {
  await trx.updateTable(table as 'flag_approval_requests').set({ status: row.status, review_status: row.review_status, doc: row.doc }).where('id', '=', row.id).execute();
}

/** Adds a review: an approval or a decline of a pending request (of someone else's, unless the settings allow one's own), or a comment. */
export async function reviewRequest<S>(deps: Deps, kind: RequestKind<S>, id: string, body: unknown, actor: Actor | undefined): Promise<RequestOutcome<S>> {
  const input = objectBody(body, '{"kind": "approve" | "decline" | "comment", "comment"?: ...}');
  const errors: FieldError[] = [];
  if (typeof input.kind !== 'string' || !REVIEW_KINDS.includes(input.kind)) errors.push({ attribute: 'kind', reason: 'must be one of approve, decline, comment' });
  const comment = optionalString(input, 'comment', errors);
  if (errors.length > 0) throw validationFailed(errors);
  const review = input.kind as Review['kind'];
  const now = deps.now();
  return deps.store.tx(async (trx) => {
    const { scope, row, others, settings } = await kind.load(trx, id, true);
    if (review !== 'comment') {
      if (row.status !== 'pending') throw invalidRequest(`The approval request is ${row.status}; only a pending request can be approved or declined`);
      if (isRequestor(actor, row, deps.accountId) && !settings.canReviewOwnRequest) throw forbidden(`Forbidden. You cannot ${review} your own approval request: the environment's approval settings do not allow it (canReviewOwnRequest)`);
    }
    const doc = approvalDoc(row);
    const given: Review = {
      _id: objectId(now),
      kind: review,
      creationDate: now,
      ...(comment !== undefined ? { comment } : {}),
      ...byActor(actor, deps.accountId),
      principal: actor?.memberId ?? deps.accountId,
    };
    const allReviews = [...doc.allReviews, given];
    const next: RequestRow = { ...row, review_status: reviewStatusOf(allReviews, settings), doc: JSON.stringify({ ...doc, allReviews, version: doc.version + 1 }) };
    await updateRequest(trx, kind.table, next);
    const verb = review === 'approve' ? 'approved an approval request' : review === 'decline' ? 'declined an approval request' : 'commented on an approval request';
    await recordAudit(trx, actor, now, kind.audit(scope, 'reviewApprovalRequest', verb, { before: row, after: next }, comment));
    return { row: next, scope, siblings: [next, ...others] };
  });
}

const PATCH_INSTRUCTIONS = {
  addReviewers: Type.Object({ kind: Type.Literal('addReviewers'), notifyMemberIds: Type.Optional(Type.Unknown()), notifyTeamKeys: Type.Optional(Type.Unknown()) }),
  updateDescription: Type.Object({ kind: Type.Literal('updateDescription'), value: Type.Unknown() }),
};

/** A semantic patch on a request: addReviewers, updateDescription. All apply or none. */
export async function patchRequest<S>(deps: Deps, kind: RequestKind<S>, id: string, body: unknown, actor: Actor | undefined): Promise<RequestOutcome<S>> {
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
    const { scope, row, others } = await kind.load(trx, id, true);
    const doc = approvalDoc(row);
    const notifyMemberIds = [...new Set([...doc.notifyMemberIds, ...added])];
    const changed = (description !== undefined && description !== doc.description) || notifyMemberIds.length !== doc.notifyMemberIds.length;
    if (!changed) return { row, scope, siblings: [row, ...others] };
    const next: RequestRow = { ...row, doc: JSON.stringify({ ...doc, ...(description !== undefined ? { description } : {}), notifyMemberIds, version: doc.version + 1 }) };
    await updateRequest(trx, kind.table, next);
    await recordAudit(trx, actor, now, kind.audit(scope, 'updateApprovalRequest', 'updated an approval request', { before: row, after: next }, patch.comment));
    return { row: next, scope, siblings: [next, ...others] };
  });
}

/** Deletes a request, whatever its status. */
export async function deleteRequest<S>(deps: Deps, kind: RequestKind<S>, id: string, actor: Actor | undefined): Promise<void> {
  const now = deps.now();
  await deps.store.tx(async (trx) => {
    const { scope, row } = await kind.load(trx, id, true);
    await trx.deleteFrom(kind.table as 'flag_approval_requests').where('id', '=', row.id).execute();
    await recordAudit(trx, actor, now, kind.audit(scope, 'deleteApprovalRequest', 'deleted an approval request', { before: row }));
  });
}

/** An apply body's `comment` (the body may be absent). */
export function readApplyComment(body: unknown): string | undefined {
  const input = body === undefined || body === null ? {} : objectBody(body, '{"comment"?: ...}');
  const errors: FieldError[] = [];
  const comment = optionalString(input, 'comment', errors);
  if (errors.length > 0) throw validationFailed(errors);
  return comment;
}

/** The 400 of a request that cannot be applied under the settings, if it cannot. */
export function refuseUnappliable(row: RequestRow, settings: ApprovalSettings): void {
  const problem = applyProblem(row, settings);
  if (problem) throw invalidRequest(`The approval request cannot be applied: ${problem}`);
}

/** The request as applying it leaves it, by the caller, now. */
export function appliedRow(deps: Deps, actor: Actor | undefined, row: RequestRow, status: 'completed' | 'scheduled', now: number, extra: Partial<ApprovalDoc> = {}): RequestRow {
  const doc = approvalDoc(row);
  const by = byActor(actor, deps.accountId);
  const appliedBy = 'memberId' in by ? { appliedByMemberId: by.memberId } : { appliedByServiceTokenId: by.serviceTokenId };
  return { ...row, status, doc: JSON.stringify({ ...doc, ...extra, appliedDate: now, ...appliedBy, version: doc.version + 1 }) };
}

/**
 * Completes the pending request inside the resource update that applies it (the resource locked): it must still be
 * pending and approved enough, and still the one read before (`current`).
 */
export async function completeRequest<S>(deps: Deps, trx: Trx, kind: RequestKind<S>, current: RequestRow, actor: Actor | undefined, now: number, comment: string | undefined): Promise<RequestRow> {
  const { scope, row, settings } = await kind.load(trx, current.id, true);
  // Checked on the locked row first: a request that another apply completed meanwhile is the 400 a later apply gets
  // (retrying cannot change it), not the 409 that asks for a retry.
  refuseUnappliable(row, settings);
  if (row.doc !== current.doc || row.status !== current.status) throw optimisticLock('Conflict. The approval request changed while it was being applied; read it again and retry');
  const next = appliedRow(deps, actor, row, 'completed', now);
  await updateRequest(trx, kind.table, next);
  // Its own entry, since instructions that change nothing leave no entry of the resource behind.
  await recordAudit(trx, actor, now, kind.audit(scope, 'applyApprovalRequest', 'applied an approval request', { before: row, after: next }, comment));
  return next;
}

/**
 * After applying failed with `err`: a 4xx but a 405 (approval still missing elsewhere, the settings changed since it
 * was asked, which leaves the request pending) means its instructions no longer apply (their rule removed, a
 * variation gone...), so the request failed, and says why. Anything else is thrown as it is.
 */
export async function failRequest<S>(deps: Deps, kind: RequestKind<S>, id: string, err: unknown, actor: Actor | undefined, now: number, comment: string | undefined): Promise<never> {
  if (!(err instanceof ApiError && err.statusCode < 500 && err.statusCode !== 405)) throw err;
  await deps.store.tx(async (trx) => {
    const { scope, row } = await kind.load(trx, id, true);
    if (row.status !== 'pending') return;
    const failedDoc = approvalDoc(row);
    const failed: RequestRow = { ...row, status: 'failed', doc: JSON.stringify({ ...failedDoc, failure: err.message, version: failedDoc.version + 1 }) };
    await updateRequest(trx, kind.table, failed);
    await recordAudit(trx, actor, now, kind.audit(scope, 'applyApprovalRequest', 'failed to apply an approval request', { before: row, after: failed }, comment));
  });
  throw new ApiError(err.statusCode, err.code, `The approval request could not be applied, and is now failed: ${err.message}`, err.errors);
}

/** What applying request `id` changes: its copy (copyFeatureFlag's), or its instructions (a PATCH's). */
function approvedChange(place: FlagPlace, id: string, doc: ApprovalDoc, comment: string | undefined): Pick<FlagUpdateCommit, 'update' | 'audit'> {
  if (doc.copy) return copyChange(place, doc.copy, comment, id);
  return {
    update: scheduledUpdate(place.environmentKey, doc.instructions, comment),
    audit: (flag) => ({
      resource: flagResource(place),
      action: 'updateFlag',
      description: `applied approval request ${id} to the flag ${flag.name} in ${place.environmentKey}`,
    }),
  };
}

/**
 * Applies an approved request: its instructions (or its copy) go through the flag update path now (the request
 * completed in the same transaction), or, with an execution date to come, become a scheduled change. One whose
 * instructions no longer apply (a copy's source version gone by) is marked failed, and the 4xx says why.
 */
export async function applyApproval(deps: Deps, place: FlagPlace, id: string, body: unknown, actor: Actor | undefined): Promise<Outcome> {
  const comment = readApplyComment(body);
  const now = deps.now();
  const kind = flagRequests(deps, place);
  const { scope: first, row: current, settings } = await kind.load(deps.store.db, id, false);
  const doc = approvalDoc(current);
  if (doc.customWorkflow) {
    const { workflowId, stage } = doc.customWorkflow;
    throw invalidRequest(`The approval request is for stage ${stage.index + 1} of workflow ${workflowId}: the workflow applies its instructions itself once the request is approved`);
  }
  if (doc.copy) await refuseUncopyable(deps, actor, first.place, first.flag.doc.tags, doc.copy);
  refuseUnappliable(current, settings);

  if (doc.executionDate !== undefined && doc.executionDate > now) {
    return deps.store.tx(async (trx) => {
      const { scope, row, others, settings } = await kind.load(trx, id, true);
      refuseUnappliable(row, settings);
      await lockFlag(trx, deps.store, scope.project, scope.place.flagKey);
      const scheduleId = objectId(now);
      const schedule: ScheduledChangeDoc = { instructions: doc.instructions, ...(doc.comment !== undefined ? { comment: doc.comment } : {}), maintainerId: row.requestor_id, ...serviceTokenOf(actor), version: 1 };
      await trx
        .insertInto('flag_scheduled_changes')
        .values({ id: scheduleId, flag_id: scope.flag.row.id, environment_id: row.environment_id, execution_date: doc.executionDate!, doc: JSON.stringify(schedule), created_at: now })
        .execute();
      const next = appliedRow(deps, actor, row, 'scheduled', now, { scheduledChangeId: scheduleId });
      await updateRequest(trx, kind.table, next);
      await recordAudit(trx, actor, now, audit(scope, 'applyApprovalRequest', `scheduled an approved request for ${new Date(doc.executionDate!).toISOString()}`, { before: row, after: next }, comment));
      return { row: next, scope, siblings: [next, ...others] };
    });
  }

  let next: RequestRow | undefined;
  let updating = false;
  try {
    await commitFlagUpdate(deps, {
      project: first.project,
      flagKey: first.place.flagKey,
      ...approvedChange(first.place, id, doc, comment ?? doc.comment),
      actor,
      // Approved here; a variation change still needs approval wherever else it is required.
      requireApproval: true,
      approvedIn: place.environmentKey,
      inside: async (trx) => {
        next = await completeRequest(deps, trx, kind, current, actor, now, comment);
        updating = true;
        return true;
      },
    });
  } catch (err) {
    if (!updating) throw err;
    return failRequest(deps, kind, id, err, actor, now, comment);
  }
  const scope = await flagInEnvironment(deps, deps.store.db, paramsOf(place));
  const siblings = await approvalsOf(deps.store.db, scope.flag.row.id, scope.environment.id);
  const row = siblings.find((s) => s.id === id) ?? next!;
  return { row, scope, siblings };
}

/** The flag-scoped routes' review, change and deletion of a request of the flag in the environment. */
export const reviewApproval = (deps: Deps, place: FlagPlace, id: string, body: unknown, actor: Actor | undefined): Promise<Outcome> => reviewRequest(deps, flagRequests(deps, place), id, body, actor);
export const patchApproval = (deps: Deps, place: FlagPlace, id: string, body: unknown, actor: Actor | undefined): Promise<Outcome> => patchRequest(deps, flagRequests(deps, place), id, body, actor);
export const deleteApproval = (deps: Deps, place: FlagPlace, id: string, actor: Actor | undefined): Promise<void> => deleteRequest(deps, flagRequests(deps, place), id, actor);
