// Runs workflows: every 5 seconds each instance takes the active workflows and moves each as far as it can go at
// deps.now() (progress.ts decides how): a stage started asks for its approvals (real approval requests of the flag,
// in the name of the workflow's maker), a stage whose conditions are all met has its instructions applied through the
// flag update path (a new version, streamed to the SDKs, audited without a member), its approval requests completed in
// the same transaction. A stage whose instructions no longer apply (a 4xx: its rule removed, the flag archived...)
// fails the workflow; another failure is tried again at the next pass. Each step is one transaction that reads the
// workflow's row again, locked, and writes only if no other pass (or instance) moved it since.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { type JobLog, startJob } from '../../http/jobs.js';
import type { Db, Trx } from '../../store/db.js';
import { applyProblem, approvalDoc, type RequestRow } from '../approvals/model.js';
import { newRequestRow, shownVersions, updateRequest } from '../approvals/requests.js';
import { recordAudit } from '../audit-log/record.js';
import { environmentApprovalSettings } from '../environments/approvalSettings.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { flagEnvironmentAudit, flagResource, type FlagPlace } from '../flags/inEnvironment.js';
import { lockFlag } from '../flags/model.js';
import { scheduledUpdate } from '../scheduled-changes/scope.js';
import { auditedWorkflow, workflowDoc, type WorkflowDoc, type WorkflowRow } from './model.js';
import { describeStage, executed, failed, nextStep, type RequestState } from './progress.js';

const INTERVAL_MS = 5_000;

/** A workflow with what it is of: its flag (by id, key and name), environment and project. */
export interface WorkflowScope {
  workflowId: string;
  place: FlagPlace;
  projectId: string;
  flagId: string;
  flagName: string;
  environmentId: string;
}

interface Running {
  row: WorkflowRow;
  scope: WorkflowScope;
  environmentDoc: string;
}

async function loadRunning(db: Db, id: string): Promise<Running | undefined> {
  const found = await db
    .selectFrom('flag_workflows as w')
    .innerJoin('flags as f', 'f.id', 'w.flag_id')
    .innerJoin('projects as p', 'p.id', 'f.project_id')
    .innerJoin('environments as e', 'e.id', 'w.environment_id')
    .selectAll('w')
    .select(['f.key as flagKey', 'f.name as flagName', 'p.id as projectId', 'p.key as projectKey', 'e.key as environmentKey', 'e.doc as environmentDoc'])
    .where('w.id', '=', id)
    .executeTakeFirst();
  if (!found) return undefined;
  const { flagKey, flagName, projectId, projectKey, environmentKey, environmentDoc, ...row } = found;
  return {
    row,
    environmentDoc,
    scope: { workflowId: row.id, place: { projectKey, flagKey, environmentKey }, projectId, flagId: row.flag_id, flagName, environmentId: row.environment_id },
  };
}

/** The approval requests the workflow's conditions asked for, by id. */
export async function workflowRequests(db: Db | Trx, doc: WorkflowDoc): Promise<RequestRow[]> {
  const ids = doc.stages.flatMap((stage) => stage.conditions.flatMap((c) => (c.approvalRequestId !== undefined ? [c.approvalRequestId] : [])));
  if (ids.length === 0) return [];
  return db.selectFrom('flag_approval_requests').selectAll().where('id', 'in', ids).execute();
}

/** What became of each request under the environment's flag approval settings. */
function requestStates(rows: RequestRow[], environmentDoc: string): Map<string, RequestState> {
  const settings = environmentApprovalSettings({ doc: environmentDoc });
  return new Map(rows.map((row) => [row.id, { status: row.status, approved: row.status === 'pending' && applyProblem(row, settings) === undefined }]));
}

/** Inside a write: the workflow's row locked on PostgreSQL, and whether it is still what `seen` was. */
async function stillAsSeen(deps: Deps, trx: Trx, seen: WorkflowRow): Promise<boolean> {
  let query = trx.selectFrom('flag_workflows').select('doc').where('id', '=', seen.id);
  if (deps.store.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  return row?.doc === seen.doc;
}

/**
 * Makes the approval requests of stage `index`'s conditions at `asking`, pending, asked by the workflow's maker with
 * the stage's instructions, and names each in its condition (in `doc`, changed in place); each audited.
 */
export async function askApprovals(deps: Deps, trx: Trx, scope: WorkflowScope, doc: WorkflowDoc, index: number, asking: number[], now: number): Promise<void> {
  const stage = doc.stages[index];
  for (const at of asking) {
    const condition = stage.conditions[at];
    if (condition.kind !== 'ld-approval') continue;
    const what = `${describeStage(doc, index)} of workflow "${doc.name}"`;
    const input = {
      description: condition.description || `Approve ${what}`,
      instructions: stage.instructions,
      notifyMemberIds: condition.notifyMemberIds,
      customWorkflow: { workflowId: scope.workflowId, name: doc.name, stage: { index, name: stage.name ?? '' } },
    };
    const row = { ...newRequestRow(deps, undefined, { project_id: scope.projectId, flag_id: scope.flagId, environment_id: scope.environmentId }, input, now), requestor_id: doc.requestorId };
    await trx.insertInto('flag_approval_requests').values(row).execute();
    condition.approvalRequestId = row.id;
    const description = `requested approval for the flag ${scope.flagName} in ${scope.place.environmentKey}, for ${what}`;
    await recordAudit(trx, undefined, now, flagEnvironmentAudit(scope.place, scope.flagName, 'createApprovalRequest', description, shownVersions({ after: row })));
  }
}

/** Completes (applied now) or fails (with `failure`) the pending approval requests of stage `index`, each audited. */
async function settleRequests(trx: Trx, scope: WorkflowScope, doc: WorkflowDoc, index: number, now: number, failure?: string): Promise<void> {
  const ids = doc.stages[index].conditions.flatMap((c) => (c.approvalRequestId !== undefined ? [c.approvalRequestId] : []));
  if (ids.length === 0) return;
  const rows = await trx.selectFrom('flag_approval_requests').selectAll().where('id', 'in', ids).where('status', '=', 'pending').execute();
  for (const row of rows) {
    const old = approvalDoc(row);
    const next: RequestRow =
      failure === undefined
        ? { ...row, status: 'completed', doc: JSON.stringify({ ...old, appliedDate: now, version: old.version + 1 }) }
        : { ...row, status: 'failed', doc: JSON.stringify({ ...old, failure, version: old.version + 1 }) };
    await updateRequest(trx, 'flag_approval_requests', next);
    const verb = failure === undefined ? 'applied' : 'failed to apply';
    const description = `${verb} approval request ${row.id} for ${describeStage(doc, index)} of workflow "${doc.name}", to the flag ${scope.flagName} in ${scope.place.environmentKey}`;
    await recordAudit(trx, undefined, now, flagEnvironmentAudit(scope.place, scope.flagName, 'applyApprovalRequest', description, shownVersions({ before: row, after: next })));
  }
}

/** Writes the workflow as `doc` leaves it (a failed one's pending requests failed too), audited with what happened. */
async function writeWorkflow(trx: Trx, scope: WorkflowScope, before: WorkflowRow, doc: WorkflowDoc, index: number, events: string[], now: number): Promise<void> {
  if (doc.execution.status === 'failed') await settleRequests(trx, scope, doc, index, now, doc.failure);
  await trx.updateTable('flag_workflows').set({ status: doc.execution.status, doc: JSON.stringify(doc) }).where('id', '=', before.id).execute();
  const description = `workflow "${doc.name}" of the flag ${scope.flagName} in ${scope.place.environmentKey}: ${events.join('; ')}`;
  await recordAudit(trx, undefined, now, flagEnvironmentAudit(scope.place, scope.flagName, 'updateFeatureWorkflows', description, { before: auditedWorkflow(before.id, workflowDoc(before)), after: auditedWorkflow(before.id, doc) }));
}

/** Applies stage `index`'s instructions, the stage completed in the same transaction; false when the workflow moved meanwhile. */
async function executeStage(deps: Deps, running: Running, doc: WorkflowDoc, index: number, now: number): Promise<boolean> {
  const { row, scope } = running;
  const stage = doc.stages[index];
  const what = `${describeStage(doc, index)} of workflow "${doc.name}"`;
  let done = false;
  try {
    await commitFlagUpdate(deps, {
      project: { id: scope.projectId, key: scope.place.projectKey },
      flagKey: scope.place.flagKey,
      update: scheduledUpdate(scope.place.environmentKey, stage.instructions, `workflow "${doc.name}": ${describeStage(doc, index)}`),
      actor: undefined,
      inside: async (trx) => {
        if (!(await stillAsSeen(deps, trx, row))) return false;
        const after = executed(doc, index, now);
        await settleRequests(trx, scope, after, index, now);
        await writeWorkflow(trx, scope, row, after, index, [`${describeStage(doc, index)} applied`, ...(after.execution.status === 'completed' ? ['completed'] : [])], now);
        done = true;
        return true;
      },
      audit: (flag) => ({ resource: flagResource(scope.place), action: 'updateFlag', description: `applied ${what} to the flag ${flag.name} in ${scope.place.environmentKey}` }),
    });
    return done;
  } catch (err) {
    if (!(err instanceof ApiError && err.statusCode < 500)) throw err;
    return deps.store.tx(async (trx) => {
      if (!(await stillAsSeen(deps, trx, row))) return false;
      const after = failed(doc, index, now, `its instructions no longer apply to the flag: ${err.message}`);
      await writeWorkflow(trx, scope, row, after, index, [after.failure!], now);
      return true;
    });
  }
}

/**
 * Moves workflow `id` as far as it goes at deps.now(): starts stages, asks for their approvals, meets conditions and
 * applies stages until it waits (for a date, a review) or stops (completed, failed). Errors other than a stage's
 * instructions no longer applying are thrown, the workflow left where it was for the next pass.
 */
export async function advanceWorkflow(deps: Deps, id: string): Promise<void> {
  const now = deps.now();
  // Each step moves the workflow on or ends the loop; a step another pass overtook is simply read again.
  for (let guard = 0; guard < 10_000; guard++) {
    const running = await loadRunning(deps.store.db, id);
    if (!running || running.row.status !== 'active') return;
    const doc = workflowDoc(running.row);
    const step = nextStep(doc, now, requestStates(await workflowRequests(deps.store.db, doc), running.environmentDoc));
    if (step.kind === 'wait') return;
    if (step.kind === 'execute') {
      await executeStage(deps, running, step.doc, step.stage, now);
      continue;
    }
    await deps.store.tx(async (trx) => {
      // The flag first, as every flag update locks it: no flag deleted under the requests made here.
      await lockFlag(trx, deps.store, { id: running.scope.projectId, key: running.scope.place.projectKey }, running.scope.place.flagKey);
      if (!(await stillAsSeen(deps, trx, running.row))) return;
      await askApprovals(deps, trx, running.scope, step.doc, step.stage, step.asking, now);
      await writeWorkflow(trx, running.scope, running.row, step.doc, step.stage, step.events, now);
    });
  }
}

/** Moves every active workflow, oldest first; returns how many it read. */
export async function advanceWorkflows(deps: Deps, log?: JobLog, closing?: AbortSignal): Promise<number> {
  const active = await deps.store.db.selectFrom('flag_workflows').select('id').where('status', '=', 'active').orderBy('created_at').orderBy('id').execute();
  for (const { id } of active) {
    // The app is closing: the rest wait for the next run (of this instance or another).
    if (closing?.aborted) break;
    try {
      await advanceWorkflow(deps, id);
    } catch (err) {
      log?.warn({ err, workflowId: id }, 'could not move a workflow on; trying again at the next run');
    }
  }
  return active.length;
}

export function startWorkflowsJob(app: FastifyInstance, deps: Deps): void {
  startJob(app, INTERVAL_MS, (closing) => advanceWorkflows(deps, app.log, closing), 'could not run workflows');
}
