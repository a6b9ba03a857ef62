// A change to an existing segment, from the stored segment to the commit: the path every update takes (PATCH, and the
// removal of expiring targets).
import type { Actor, Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { segmentChangeNeedsApproval, refuseUnapprovedSegment } from '../approvals/gate.js';
import { recordAudit } from '../audit-log/record.js';
import { addNewlyTargetedKinds } from '../context-kinds/contextKinds.js';
import { environmentApprovalSettings } from '../environments/approvalSettings.js';
import type { Trx } from '../../store/db.js';
import { lockNames } from '../../store/locks.js';
import { commitBigSegmentChanges } from './bigSegmentOperations.js';
import { changeCount, keysOnBothSides, requireBigSegment } from './bigSegments.js';
import type { BigSegmentEdits } from './instructions.js';
import { addsSegmentReference, findSegment, saveSegment, segmentKinds, segmentReferenceProblems, segmentReferencesLock, segmentResourceId, type LoadedSegment } from './model.js';
import { representSegment, segmentView } from './represent.js';
import { segmentFrom } from './rules.js';
import type { SegmentUpdate } from './update.js';

export interface SegmentUpdateCommit {
  project: { id: string; key: string };
  environment: { id: string; key: string };
  segmentKey: string;
  update: SegmentUpdate;
  actor: Actor | undefined;
  /** Runs everything and writes nothing. */
  dryRun?: boolean;
  /** A change of the segment's targeting is refused (405) where its environment requires approval for segments. */
  requireApproval?: boolean;
  /** Runs inside the transaction once the segment is locked, before the update: `false` ends it without the update. */
  inside?: (trx: Trx, segment: LoadedSegment) => Promise<boolean>;
  /** The audit entry's action and description; `updateSegment` when left out. */
  audit?: (name: string) => { action: string; description: string };
}

/**
 * A patch's big-segment instructions apply to a big segment only (400 naming the instruction otherwise), may name only
 * this segment's imports (iterlab processes an import when it is uploaded, so processing it again changes nothing), and
 * may not leave a key both included and excluded (400 naming the keys), as LaunchDarkly documents.
 */
async function checkBigSegmentEdits(trx: Trx, segment: LoadedSegment, big: BigSegmentEdits): Promise<void> {
  requireBigSegment(segment, big.operation, false);
  const errors: FieldError[] = [];
  for (const id of big.importIds) {
    const found = await trx.selectFrom('big_segment_imports').select('id').where('segment_id', '=', segment.row.id).where('id', '=', id).executeTakeFirst();
    if (!found) errors.push({ attribute: 'importId', reason: `segment "${segment.row.key}" has no import with the id "${id}"` });
  }
  const both = await keysOnBothSides(trx, segment.row.id, big.changes);
  if (both.length > 0) errors.push({ attribute: 'values', reason: `would leave ${both.map((key) => `"${key}"`).join(', ')} both included and excluded` });
  if (errors.length > 0) throw validationFailed(errors);
}

/**
 * Applies the update to the segment in one transaction with it locked; an update that changes nothing writes
 * nothing. The audit entry and change notice follow. Answers the segment as it is afterwards (or would be).
 */
export async function commitSegmentUpdate(deps: Deps, commit: SegmentUpdateCommit): Promise<Record<string, unknown>> {
  const { project, environment, update } = commit;
  const now = deps.now();
  const scope = { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id };
  const outcome = await deps.store.tx(async (trx) => {
    const before = await findSegment(trx, scope, commit.segmentKey, deps.store.kind);
    if (commit.inside && !(await commit.inside(trx, before))) return { rep: {}, changed: false };
    const big = update.bigSegment;
    if (big) await checkBigSegmentEdits(trx, before, big);
    const bigChanged = big !== undefined && changeCount(big.changes) > 0;
    const { doc, changed } = segmentFrom(update.apply(segmentView(before.row.key, before.doc)), before.doc, now);
    if (changed) {
      // The references checked as they are once no other write can add one or delete a segment (segmentReferencesLock).
      if (addsSegmentReference(before.doc.rules, doc.rules)) await lockNames(trx, deps.store, [segmentReferencesLock(environment.id)]);
      const problems = await segmentReferenceProblems(trx, environment.id, before.row.key, doc);
      if (problems.length > 0) throw validationFailed(problems);
    }
    const segment = { row: { ...before.row, name: doc.name }, doc };
    if (changed && commit.requireApproval) {
      // The settings as this transaction reads them, not as a cache last saw them.
      const settings = environmentApprovalSettings(await trx.selectFrom('environments').select('doc').where('id', '=', environment.id).executeTakeFirstOrThrow(), 'segment');
      if (segmentChangeNeedsApproval(settings, before.doc, doc)) await refuseUnapprovedSegment(deps, commit.actor, { projectKey: project.key, environmentKey: environment.key, segmentKey: before.row.key }, before.doc.tags);
    }
    if ((!changed && !bigChanged) || commit.dryRun) return { rep: representSegment(project.key, environment.key, segment), changed: false };
    if (bigChanged) await commitBigSegmentChanges(trx, commit.actor, now, { project, environment }, segment, big.changes);
    if (!changed) return { rep: representSegment(project.key, environment.key, segment), changed: true, id: before.row.id };
    await saveSegment(trx, before.row.id, doc);
    await addNewlyTargetedKinds(trx, project.id, segmentKinds(before.doc), segmentKinds(doc), now);
    const audit = commit.audit?.(doc.name) ?? { action: 'updateSegment', description: `updated the segment ${doc.name} in ${environment.key}` };
    await recordAudit(trx, commit.actor, now, {
      kind: 'segment',
      resource: segmentResourceId({ projectKey: project.key, environmentKey: environment.key, segmentKey: before.row.key }),
      ...audit,
      name: doc.name,
      projectKey: project.key,
      ...(update.comment !== undefined ? { comment: update.comment } : {}),
      delta: update.delta,
      // As the API shows it (no salt).
      before: representSegment(project.key, environment.key, before),
      after: representSegment(project.key, environment.key, segment),
    });
    return { rep: representSegment(project.key, environment.key, segment), changed, id: before.row.id };
  });
  if (outcome.changed) deps.changed({ kind: 'segment', projectId: project.id, id: outcome.id });
  return outcome.rep;
}
