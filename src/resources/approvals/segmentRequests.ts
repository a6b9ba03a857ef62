// Segment approval requests: segment semantic-patch instructions (those of patchSegment) for one segment, asked and
// applied through the account-wide routes. Asking and applying are the segment's own; reviewing, changing and deleting
// are requests.ts's, given segmentRequests. Applying goes through the segment update path.
import type { Actor, Deps } from '../../http/context.js';
import type { Db, Trx } from '../../store/db.js';
import { recordAudit, type AuditEntry } from '../audit-log/record.js';
import type { EnvironmentRow } from '../environments/environments.js';
import type { ProjectRow } from '../projects/projects.js';
import { commitSegmentUpdate } from '../segments/commitUpdate.js';
import { SEGMENT_INSTRUCTIONS } from '../segments/instructions.js';
import { findSegment, segmentResourceId, type LoadedSegment, type SegmentPlace } from '../segments/model.js';
import { parseSegmentUpdate, type SegmentUpdate } from '../segments/update.js';
import { approvalDoc, requestsOf } from './model.js';
import {
  completeRequest,
  failRequest,
  loadRequest,
  newRequestRow,
  readApplyComment,
  readRequestInput,
  refuseUnappliable,
  shownVersions,
  type RequestKind,
  type RequestOutcome,
} from './requests.js';

/** A segment by key, as a request's `resourceId` names it. */
export interface SegmentInEnvironment {
  project: ProjectRow;
  environment: EnvironmentRow;
  segment: LoadedSegment;
  place: SegmentPlace;
}

export type SegmentOutcome = RequestOutcome<SegmentInEnvironment>;

/** The project, environment and segment (each a 404 naming it when it is not there); the segment locked on PostgreSQL when `lock`. */
export async function segmentInEnvironment(deps: Deps, db: Db | Trx, place: SegmentPlace, lock = false): Promise<SegmentInEnvironment> {
  const { project, environment } = await deps.catalog.projectEnvironment(place.projectKey, place.environmentKey);
  const scope = { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id };
  const segment = await findSegment(db, scope, place.segmentKey, lock ? deps.store.kind : undefined);
  return { project, environment, segment, place: { projectKey: project.key, environmentKey: environment.key, segmentKey: segment.row.key } };
}

function audit(scope: SegmentInEnvironment, action: string, verb: string, versions: Parameters<typeof shownVersions>[0], comment?: string): AuditEntry {
  const name = scope.segment.doc.name;
  return {
    kind: 'segment',
    resource: segmentResourceId(scope.place),
    action,
    name,
    description: `${verb} for the segment ${name} in ${scope.place.environmentKey}`,
    projectKey: scope.place.projectKey,
    ...(comment !== undefined ? { comment } : {}),
    ...shownVersions(versions),
  };
}

/** The segment's requests, as reviewing, changing, deleting and applying one reaches them. */
export function segmentRequests(deps: Deps, place: SegmentPlace): RequestKind<SegmentInEnvironment> {
  return {
    table: 'segment_approval_requests',
    load: async (db, id, lock) => {
      const scope = await segmentInEnvironment(deps, db, place);
      const where = { table: 'segment_approval_requests', resourceId: scope.segment.row.id, environmentId: scope.environment.id } as const;
      return { scope, ...(await loadRequest(deps, db, where, 'segment', id, lock)) };
    },
    audit,
  };
}

/** The instructions as the segment update path takes a semantic patch of them. */
function instructionsUpdate(instructions: Record<string, unknown>[], comment: string | undefined, environmentKey: string): SegmentUpdate {
  return parseSegmentUpdate({ instructions, ...(comment !== undefined ? { comment } : {}) }, undefined, environmentKey);
}

/** Creates a pending request for the segment (its instructions must apply to the segment as it is now). */
export async function createSegmentApproval(deps: Deps, place: SegmentPlace, body: unknown, actor: Actor | undefined, extraFields: string[]): Promise<SegmentOutcome> {
  const input = await readRequestInput(deps, body, SEGMENT_INSTRUCTIONS, {
    extraFields,
    // Applying a request with an execution date schedules it, and iterlab has scheduled changes of flags only.
    noExecutionDate: 'is not supported for a segment: iterlab has no scheduled changes of segments, so a segment approval request is applied when it is applied',
    example: 'segment instructions, such as [{"kind": "addIncludedTargets", "contextKind": "user", "values": ["user-key"]}]',
  });
  const now = deps.now();
  const checked = await segmentInEnvironment(deps, deps.store.db, place);
  // The instructions must apply now: a 400 names why not. Asking is not changing, so the approval gate is not asked.
  await commitSegmentUpdate(deps, {
    project: checked.project,
    environment: checked.environment,
    segmentKey: checked.place.segmentKey,
    update: instructionsUpdate(input.instructions, input.comment, checked.place.environmentKey),
    actor,
    dryRun: true,
  });
  return deps.store.tx(async (trx) => {
    // Locked until commit, so that the segment is not deleted under the new row.
    const scope = await segmentInEnvironment(deps, trx, place, true);
    const others = await requestsOf(trx, { table: 'segment_approval_requests', resourceId: scope.segment.row.id, environmentId: scope.environment.id });
    const row = newRequestRow(deps, actor, { project_id: scope.project.id, segment_id: scope.segment.row.id, environment_id: scope.environment.id }, input, now);
    await trx.insertInto('segment_approval_requests').values(row).execute();
    await recordAudit(trx, actor, now, audit(scope, 'createApprovalRequest', 'requested approval', { after: row }, input.comment));
    return { row, scope, siblings: [row, ...others] };
  });
}

/**
 * Applies an approved request: its instructions go through the segment update path, the request completed in the same
 * transaction. One whose instructions no longer apply (a rule removed since) is marked failed, and the 4xx says why.
 */
export async function applySegmentApproval(deps: Deps, place: SegmentPlace, id: string, body: unknown, actor: Actor | undefined): Promise<SegmentOutcome> {
  const comment = readApplyComment(body);
  const now = deps.now();
  const kind = segmentRequests(deps, place);
  const { scope: first, row: current, settings } = await kind.load(deps.store.db, id, false);
  refuseUnappliable(current, settings);
  const doc = approvalDoc(current);
  let updating = false;
  try {
    await commitSegmentUpdate(deps, {
      project: first.project,
      environment: first.environment,
      segmentKey: first.place.segmentKey,
      update: instructionsUpdate(doc.instructions, comment ?? doc.comment, first.place.environmentKey),
      actor,
      inside: async (trx) => {
        await completeRequest(deps, trx, kind, current, actor, now, comment);
        updating = true;
        return true;
      },
      audit: (name) => ({ action: 'updateSegment', description: `applied approval request ${id} to the segment ${name} in ${first.place.environmentKey}` }),
    });
  } catch (err) {
    if (!updating) throw err;
    return failRequest(deps, kind, id, err, actor, now, comment);
  }
  const { scope, row, others } = await kind.load(deps.store.db, id, false);
  return { row, scope, siblings: [row, ...others] };
}
