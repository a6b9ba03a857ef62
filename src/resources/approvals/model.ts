// Approval requests: flag semantic-patch instructions for one environment's targeting, which members review (approve,
// decline, comment) and anyone allowed applies once the environment's approval settings are met. Pure but for the
// lookups at the end.
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import type { Actor, Deps } from '../../http/context.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { FlagApprovalRequestsTable } from '../../store/schema.js';
import { refuseUnlessAllowedTagged } from '../custom-roles/access.js';
import { VIEW_ACTION, type ResourcePath } from '../custom-roles/policy.js';
import { proj } from '../custom-roles/routeActions.js';
import type { ApprovalSettings } from '../environments/approvalSettings.js';
import type { CopyAction } from '../flags/copyFeatureFlag.js';
import { TARGETING_INSTRUCTIONS, VARIATION_INSTRUCTIONS } from '../flags/instructions.js';
import { findMembers } from '../members/members.js';
import { subjectOf } from '../scheduled-changes/model.js';
import { teamDoc } from '../teams/model.js';

/** Where requests are kept: a flag's (in one environment) or a segment's. */
export type RequestTable = 'flag_approval_requests' | 'segment_approval_requests';

/** What a request of either kind has (a flag's also names its flag, a segment's its segment). */
export type RequestRow = Omit<FlagApprovalRequestsTable, 'flag_id'>;

/** What a request may ask, as LaunchDarkly documents: the environment's targeting, and the flag's variations. */
export const APPROVABLE = { ...TARGETING_INSTRUCTIONS, ...VARIATION_INSTRUCTIONS };

export type ReviewKind = 'approve' | 'decline' | 'comment';

export interface Review {
  _id: string;
  kind: ReviewKind;
  creationDate: number;
  comment?: string;
  memberId?: string;
  serviceTokenId?: string;
  /** Stored, never shown: the member the review counts for (a service token's, the member who made it). */
  principal: string;
}

export interface ApprovalDoc {
  description: string;
  instructions: Record<string, unknown>[];
  notifyMemberIds: string[];
  allReviews: Review[];
  comment?: string;
  /** When the approved instructions are to be applied: applying the request then schedules them. */
  executionDate?: number;
  appliedDate?: number;
  appliedByMemberId?: string;
  appliedByServiceTokenId?: string;
  /** The scheduled change an approved request with an execution date became. */
  scheduledChangeId?: string;
  /** Why applying it failed, when it did. */
  failure?: string;
  /** A copy request's (postFlagCopyConfigApprovalRequest): applying it copies this, and its instructions only show it. */
  copy?: CopyAsked;
  /** The workflow stage that asked for it (LaunchDarkly's customWorkflowMetadata): the workflow applies it, once approved. */
  customWorkflow?: CustomWorkflowAsked;
  version: number;
}

/** The workflow and stage an approval request of a workflow's ld-approval condition is for. */
export interface CustomWorkflowAsked {
  workflowId: string;
  name: string;
  stage: { index: number; name: string };
}

/** What a copy request asks: the flag's settings in `source` (at `version`, when given) copied into its environment. */
export interface CopyAsked {
  source: { key: string; version?: number };
  includedActions?: CopyAction[];
  excludedActions?: CopyAction[];
}

export type ReviewStatus = 'pending' | 'approved' | 'declined';

export function approvalDoc(row: Pick<RequestRow, 'doc'>): ApprovalDoc {
  return JSON.parse(row.doc) as ApprovalDoc;
}

/** Who a review or an application is by: the member, or the service token. */
export function byActor(actor: Actor | undefined, accountId: string): { memberId: string } | { serviceTokenId: string } {
  if (actor?.serviceToken) return { serviceTokenId: actor.tokenId };
  return { memberId: actor?.memberId ?? accountId };
}

/** A review as LaunchDarkly shows it (without whom it counts for). */
export function shownReview({ principal: _principal, ...review }: Review): Omit<Review, 'principal'> {
  return review;
}

/**
 * Whether the caller is who asked for the request: the same member, through any token of theirs, service tokens they
 * made included (a member's service tokens are not other reviewers).
 */
export function isRequestor(actor: Actor | undefined, row: Pick<RequestRow, 'requestor_id'>, accountId: string): boolean {
  return (actor?.memberId ?? accountId) === row.requestor_id;
}

/** Each reviewing member's last approval or decline (comments do not count): one member counts once, whatever tokens they used. */
function verdicts(reviews: Review[]): Map<string, 'approve' | 'decline'> {
  const out = new Map<string, 'approve' | 'decline'>();
  for (const review of reviews) {
    if (review.kind === 'comment') continue;
    out.set(review.principal, review.kind);
  }
  return out;
}

/** The review status the reviews give under the settings: declined by any reviewer's decline, approved with enough approvals. */
export function reviewStatusOf(reviews: Review[], settings: ApprovalSettings): ReviewStatus {
  const given = [...verdicts(reviews).values()];
  if (given.includes('decline')) return 'declined';
  return given.filter((v) => v === 'approve').length >= settings.minNumApprovals ? 'approved' : 'pending';
}

/** Why the request cannot be applied under the settings, if it cannot. */
export function applyProblem(row: Pick<RequestRow, 'status' | 'doc'>, settings: ApprovalSettings): string | undefined {
  if (row.status !== 'pending') return `the approval request is ${row.status}; only a pending request can be applied`;
  const given = [...verdicts(approvalDoc(row).allReviews).values()];
  const approvals = given.filter((v) => v === 'approve').length;
  if (approvals < settings.minNumApprovals) return `the approval request has ${approvals} approval(s); the environment's approval settings require ${settings.minNumApprovals} (minNumApprovals)`;
  if (given.includes('decline') && !settings.canApplyDeclinedChanges) return "the approval request was declined, and the environment's approval settings do not allow applying declined changes (canApplyDeclinedChanges)";
  return undefined;
}

/** A copy's rules replace every rule: they change what a change of any one rule changes. */
const EVERY_RULE = 'rules';

/** What a copy request's instructions (its actions, see copy.ts) change, in subjectOf's words: the whole of each. */
const COPY_SUBJECTS: Record<string, string> = {
  updateOn: 'targeting on or off',
  updateRules: EVERY_RULE,
  updateFallthrough: 'default rule',
  updateOffVariation: 'off variation',
  updatePrerequisites: 'prerequisites',
  updateTargets: 'individual targets',
};

/** What a request's instruction changes, in words. */
function requestSubject(instruction: Record<string, unknown>, copy: boolean): string {
  return (copy ? COPY_SUBJECTS[String(instruction.kind)] : undefined) ?? subjectOf(instruction);
}

/** The subjects a request's instructions change, and whether it copies (replacing rules wholesale). */
function subjectsOf(row: Pick<RequestRow, 'doc'>): { copy: boolean; subjects: string[] } {
  const doc = approvalDoc(row);
  return { copy: doc.copy !== undefined, subjects: doc.instructions.map((i) => requestSubject(i, doc.copy !== undefined)) };
}

/** Whether two requests' subjects meet: the same, or a copy's rules and any rule. */
function meet(a: { copy: boolean; subject: string }, b: { copy: boolean; subject: string }): boolean {
  if (a.subject === b.subject) return true;
  const isRule = (subject: string) => subject === EVERY_RULE || subject.startsWith('rule ');
  return ((a.copy && a.subject === EVERY_RULE) || (b.copy && b.subject === EVERY_RULE)) && isRule(a.subject) && isRule(b.subject);
}

/** LaunchDarkly's Conflict: the other pending requests of the flag (or segment) that change something this one changes. */
export function conflictsOf(row: Pick<RequestRow, 'doc'>, others: RequestRow[], noun: 'flag' | 'segment'): { instruction: Record<string, unknown>; reason: string }[] {
  const pending = others.filter((o) => o.status === 'pending').map((o) => ({ id: o.id, ...subjectsOf(o) }));
  const mine = subjectsOf(row);
  return approvalDoc(row).instructions.flatMap((instruction, i) => {
    const subject = mine.subjects[i];
    return pending
      .filter((o) => o.subjects.some((theirs) => meet({ copy: mine.copy, subject }, { copy: o.copy, subject: theirs })))
      .map((o) => ({ instruction, reason: `pending approval request ${o.id} also changes the ${noun}'s ${subject}` }));
  });
}

/** The most members a request may name as its reviewers (`notifyMemberIds`), as LaunchDarkly documents. */
const MAX_REVIEWERS = 10;

/**
 * The members to notify: the ids given (each must be a member) and every member of the teams given (each must be a
 * team), once each, in that order.
 */
export async function readReviewers(db: Db | Trx, memberIds: unknown, teamKeys: unknown, prefix = ''): Promise<string[]> {
  const errors: FieldError[] = [];
  const list = (value: unknown, attribute: string): string[] => {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
      errors.push({ attribute, reason: 'must be an array of strings' });
      return [];
    }
    return value as string[];
  };
  const ids = list(memberIds, `${prefix}notifyMemberIds`);
  if (new Set(ids).size > MAX_REVIEWERS) errors.push({ attribute: `${prefix}notifyMemberIds`, reason: `must name at most ${MAX_REVIEWERS} members (LaunchDarkly: "Select up to ten members as reviewers")` });
  const keys = list(teamKeys, `${prefix}notifyTeamKeys`);
  const members = await findMembers(db, ids);
  ids.forEach((id, i) => {
    if (!members.has(id)) errors.push({ attribute: `${prefix}notifyMemberIds[${i}]`, reason: `there is no member with _id "${id}"` });
  });
  const teams = keys.length === 0 ? [] : await db.selectFrom('teams').selectAll().where('key', 'in', keys).execute();
  keys.forEach((key, i) => {
    if (!teams.some((t) => t.key === key)) errors.push({ attribute: `${prefix}notifyTeamKeys[${i}]`, reason: `there is no team with the key "${key}"` });
  });
  if (errors.length > 0) throw validationFailed(errors);
  return [...new Set([...ids, ...teams.flatMap((t) => teamDoc(t).memberIds)])];
}

/** Where `table` keeps the resource (flag or segment) a request is of. */
function resourceColumn(table: RequestTable): 'flag_id' {
  // Both tables are alike but for this column; Kysely is told the flag table's names, which the segment table shares.
  return (table === 'flag_approval_requests' ? 'flag_id' : 'segment_id') as 'flag_id';
}

/** Where a resource's requests are: its table, the resource's id, and its environment's. */
export interface RequestsWhere {
  table: RequestTable;
  resourceId: string;
  environmentId: string;
}

/** A request of a resource in an environment (404 naming it when there is none); locked on PostgreSQL when `lock` names the store. */
export async function findRequest(db: Db | Trx, where: RequestsWhere, id: string, lock?: Pick<Store, 'kind'>): Promise<RequestRow> {
  let query = db
    .selectFrom(where.table as 'flag_approval_requests')
    .selectAll()
    .where('id', '=', id)
    .where(resourceColumn(where.table), '=', where.resourceId)
    .where('environment_id', '=', where.environmentId);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Approval request "${id}"`);
  return row;
}

/** The requests of a resource in an environment, newest first. */
export function requestsOf(db: Db | Trx, where: RequestsWhere): Promise<RequestRow[]> {
  return db
    .selectFrom(where.table as 'flag_approval_requests')
    .selectAll()
    .where(resourceColumn(where.table), '=', where.resourceId)
    .where('environment_id', '=', where.environmentId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

/** A request with the keys of what it is of: `resourceKey` is its flag's or segment's key, `of` that resource's id. */
export type KeyedRequest = RequestRow & { kind: 'flag' | 'segment'; of: string; projectKey: string; resourceKey: string; environmentKey: string };

/** Every request of both kinds (or just request `id`), with its keys; flags' first, each kind in no set order. */
export async function keyedRequests(db: Db, id?: string): Promise<KeyedRequest[]> {
  const ofKind = async (kind: 'flag' | 'segment') => {
    // The two tables differ in the name of one column and the table it points to: Kysely is told the flag table's.
    const [table, resources, column] = kind === 'flag' ? (['flag_approval_requests', 'flags', 'flag_id'] as const) : (['segment_approval_requests', 'segments', 'segment_id'] as const);
    const rows = await db
      .selectFrom(`${table} as a` as 'flag_approval_requests as a')
      .innerJoin('projects as p', 'p.id', 'a.project_id')
      .innerJoin(`${resources} as r` as 'flags as r', 'r.id', `a.${column}` as 'a.flag_id')
      .innerJoin('environments as e', 'e.id', 'a.environment_id')
      .selectAll('a')
      .select(['p.key as projectKey', 'r.key as resourceKey', 'e.key as environmentKey'])
      .$if(id !== undefined, (query) => query.where('a.id', '=', id!))
      .execute();
    return rows.map((row) => {
      const { [column]: of, ...rest } = row as typeof row & Record<typeof column, string>;
      return { ...rest, kind, of } as KeyedRequest;
    });
  };
  const flags = await ofKind('flag');
  // Ids are unique across both tables: one found among the flags' is not looked for among the segments'.
  if (id !== undefined && flags.length > 0) return flags;
  return [...flags, ...(await ofKind('segment'))];
}

/**
 * The request an id in a route names. LaunchDarkly: "If you created the approval request as part of a workflow, you can
 * also use a workflow ID as the approval request ID". An id that is no request's but a workflow's names the request its
 * run awaits (the first of the active stage's), else the latest it asked; any other id is left as it is (and is then
 * the route's 404).
 */
export async function approvalRequestIdOf(db: Db, id: string): Promise<string> {
  if (await db.selectFrom('flag_approval_requests').select('id').where('id', '=', id).executeTakeFirst()) return id;
  const workflow = await db.selectFrom('flag_workflows').select('doc').where('id', '=', id).executeTakeFirst();
  if (!workflow) return id;
  type Condition = { approvalRequestId?: string; execution?: { status?: string } };
  const { stages } = JSON.parse(workflow.doc) as { stages: { conditions: Condition[] }[] };
  const asked = stages.flatMap((stage) => stage.conditions).filter((c) => c.approvalRequestId !== undefined);
  const awaited = asked.find((c) => c.execution?.status === 'active') ?? asked.at(-1);
  return awaited?.approvalRequestId ?? id;
}

/** A request of a flag in an environment (404 naming it when there is none); locked on PostgreSQL when `lock` names the store. */
export function findApproval(db: Db | Trx, where: { flagId: string; environmentId: string; id: string }, lock?: Pick<Store, 'kind'>): Promise<RequestRow> {
  return findRequest(db, { table: 'flag_approval_requests', resourceId: where.flagId, environmentId: where.environmentId }, where.id, lock);
}

/** The requests of a flag in an environment, newest first. */
export function approvalsOf(db: Db | Trx, flagId: string, environmentId: string): Promise<RequestRow[]> {
  return requestsOf(db, { table: 'flag_approval_requests', resourceId: flagId, environmentId });
}

/**
 * The 403 of a caller whose custom roles do not allow `action` on the request's resource (the flag or segment in the
 * environment), judged with every level's tags as the route check judges them. Routes addressed by a request's id
 * alone learn its resource here, so they check here rather than before the handler.
 */
export async function authorizeOnResource(deps: Pick<Deps, 'store' | 'catalog'>, actor: Actor | undefined, projectKey: string, resource: ResourcePath, action: string): Promise<void> {
  const policy = actor?.policy;
  if (!policy) return;
  await refuseUnlessAllowedTagged(deps.store.db, deps.catalog, policy, [[{ resource: proj(projectKey), action: VIEW_ACTION }], ...(action !== VIEW_ACTION ? [[{ resource, action }]] : [])]);
}

/**
 * The approved request that became a scheduled change (applied with an execution date, so `scheduled`) once the
 * schedule has run: `completed` when it applied, `failed` (with why) when it no longer could. Inside the transaction
 * that runs or drops the schedule.
 */
export async function settleScheduledRequest(
  trx: Trx,
  schedule: { id: string; flagId: string; environmentId: string },
  outcome: { status: 'completed' } | { status: 'failed'; failure: string },
): Promise<void> {
  const waiting = await trx
    .selectFrom('flag_approval_requests')
    .select(['id', 'doc'])
    .where('flag_id', '=', schedule.flagId)
    .where('environment_id', '=', schedule.environmentId)
    .where('status', '=', 'scheduled')
    .execute();
  for (const row of waiting) {
    const doc = JSON.parse(row.doc) as ApprovalDoc;
    if (doc.scheduledChangeId !== schedule.id) continue;
    const next: ApprovalDoc = { ...doc, ...(outcome.status === 'failed' ? { failure: outcome.failure } : {}), version: doc.version + 1 };
    await trx.updateTable('flag_approval_requests').set({ status: outcome.status, doc: JSON.stringify(next) }).where('id', '=', row.id).execute();
  }
}
