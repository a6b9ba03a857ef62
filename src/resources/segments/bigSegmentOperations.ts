// The route bodies the big-segment operations share: updateBigSegmentContextTargets and its user form
// updateBigSegmentTargets, getSegmentMembershipForContext and its user form getSegmentMembershipForUser.
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { TARGET_BATCH_LIMIT } from './instructions.js';
import { bigSegmentTarget, changeCount, readBigSegmentChanges, requireBigSegment, writeBigSegmentTargets, type SegmentUserState } from './bigSegments.js';
import { findSegment, segmentResourceId } from './model.js';

export interface BigSegmentParams {
  projectKey: string;
  environmentKey: string;
  segmentKey: string;
}

/** Which form of an operation: `contexts` takes keys of the segment's context kind, `users` only user keys. */
type BigSegmentForm = { operation: string; userKeys: boolean };

/**
 * Adds and removes the body's keys in one transaction with the segment locked; audited as an update of the segment.
 * The segment's document does not change (its version neither: SDK payloads carry no big segment targets, and
 * `generation` counts creations), so that SDKs are sent nothing; the change notice lets iterlab's own evaluation
 * (client-side SDK streams) answer again.
 */
export async function updateBigSegment(deps: Deps, request: FastifyRequest<{ Params: BigSegmentParams; Body: SegmentUserState }>, form: BigSegmentForm): Promise<void> {
  const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
  const changes = readBigSegmentChanges(request.body);
  const now = deps.now();
  const scope = { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id };
  const id = await deps.store.tx(async (trx) => {
    const segment = await findSegment(trx, scope, request.params.segmentKey, deps.store.kind);
    requireBigSegment(segment, form.operation, form.userKeys);
    const count = changeCount(changes);
    if (count === 0) return undefined;
    await writeBigSegmentTargets(trx, segment.row.id, changes);
    const counts = `included +${changes.included.add.length} −${changes.included.remove.length}, excluded +${changes.excluded.add.length} −${changes.excluded.remove.length}`;
    await recordAudit(trx, request.actor, now, {
      kind: 'segment',
      resource: segmentResourceId({ projectKey: project.key, environmentKey: environment.key, segmentKey: segment.row.key }),
      action: 'updateSegment',
      name: segment.doc.name,
      description: `updated the targets of the big segment ${segment.doc.name} in ${environment.key} (${counts})`,
      projectKey: project.key,
      // The keys themselves while they are few; a bulk change of millions keeps its counts only.
      delta: count <= TARGET_BATCH_LIMIT ? changes : { included: { added: changes.included.add.length, removed: changes.included.remove.length }, excluded: { added: changes.excluded.add.length, removed: changes.excluded.remove.length } },
    });
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
