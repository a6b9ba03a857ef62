// The route bodies the big-segment operations share: updateBigSegmentContextTargets and its user form
// updateBigSegmentTargets (and createBigSegmentImport, which commits its changes the same way),
// getSegmentMembershipForContext and its user form getSegmentMembershipForUser.
import type { FastifyRequest } from 'fastify';
import type { Actor, Deps } from '../../http/context.js';
import type { Trx } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { TARGET_BATCH_LIMIT } from './instructions.js';
import { bigSegmentTarget, changeCount, readBigSegmentChanges, requireBigSegment, writeBigSegmentTargets, type BigSegmentChanges, type SegmentUserState } from './bigSegments.js';
import { findSegment, segmentResourceId, type LoadedSegment } from './model.js';

export interface BigSegmentParams {
  projectKey: string;
  environmentKey: string;
  segmentKey: string;
}

/** Which form of an operation: `contexts` takes keys of the segment's context kind, `users` only user keys. */
type BigSegmentForm = { operation: string; userKeys: boolean };

/** Where a big segment's change happens: its project and environment. */
export interface BigSegmentPlace {
  project: { key: string };
  environment: { key: string };
}

/**
 * Applies the changes to the segment's targets in the caller's transaction (the segment locked by then), audited as an
 * update of the segment; `source` says where the change came from (an import's file). Nothing when nothing changes.
 * The segment's document does not change (its version neither: SDK payloads carry no big segment targets, and
 * `generation` counts creations), so that SDKs are sent nothing; the caller's change notice lets iterlab's own
 * evaluation (client-side SDK streams) answer again.
 */
export async function commitBigSegmentChanges(trx: Trx, actor: Actor | undefined, now: number, place: BigSegmentPlace, segment: LoadedSegment, changes: BigSegmentChanges, source = ''): Promise<void> {
  const count = changeCount(changes);
  if (count === 0) return;
  const { project, environment } = place;
  await writeBigSegmentTargets(trx, segment.row.id, changes);
  const counts = `included +${changes.included.add.length} −${changes.included.remove.length}, excluded +${changes.excluded.add.length} −${changes.excluded.remove.length}`;
  await recordAudit(trx, actor, now, {
    kind: 'segment',
    resource: segmentResourceId({ projectKey: project.key, environmentKey: environment.key, segmentKey: segment.row.key }),
    action: 'updateSegment',
    name: segment.doc.name,
    description: `updated the targets of the big segment ${segment.doc.name} in ${environment.key}${source} (${counts})`,
    projectKey: project.key,
    // The keys themselves while they are few; a bulk change of millions keeps its counts only.
    delta: count <= TARGET_BATCH_LIMIT ? changes : { included: { added: changes.included.add.length, removed: changes.included.remove.length }, excluded: { added: changes.excluded.add.length, removed: changes.excluded.remove.length } },
  });
}

/** Adds and removes the body's keys in one transaction with the segment locked (commitBigSegmentChanges). */
export async function updateBigSegment(deps: Deps, request: FastifyRequest<{ Params: BigSegmentParams; Body: SegmentUserState }>, form: BigSegmentForm): Promise<void> {
  const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
  const changes = readBigSegmentChanges(request.body);
  const now = deps.now();
  const scope = { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id };
  const id = await deps.store.tx(async (trx) => {
    const segment = await findSegment(trx, scope, request.params.segmentKey, deps.store.kind);
    requireBigSegment(segment, form.operation, form.userKeys);
    if (changeCount(changes) === 0) return undefined;
    await commitBigSegmentChanges(trx, request.actor, now, { project, environment }, segment, changes);
    return segment.row.id;
  });
  if (id !== undefined) deps.changed({ kind: 'segment', projectId: project.id, id });
}

/** LaunchDarkly's BigSegmentTarget for the key: whether the big segment includes and excludes it (both false: neither). */
export async function bigSegmentMembershipOf(deps: Deps, params: BigSegmentParams, contextKey: string, form: BigSegmentForm): Promise<Record<string, unknown>> {
  const { project, environment } = await deps.catalog.projectEnvironment(params.projectKey, params.environmentKey);
  const db = deps.store.db;
  const segment = await findSegment(db, { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id }, params.segmentKey);
  requireBigSegment(segment, form.operation, form.userKeys);
  return { userKey: contextKey, ...(await bigSegmentTarget(db, segment.row.id, contextKey)) };
}
