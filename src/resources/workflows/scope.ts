// What the workflow routes share around a flag in one environment: what a workflow is shown with, the dry run that
// tells whether its stages apply to the flag, and the transaction that makes one.
import type { Actor, Deps } from '../../http/context.js';
import type { Db, Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { approvalsOf } from '../approvals/model.js';
import { recordAudit } from '../audit-log/record.js';
import { environmentApprovalSettings } from '../environments/approvalSettings.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { flagEnvironmentAudit, flagInEnvironment, type FlagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { lockFlag } from '../flags/model.js';
import { schedulesOf } from '../scheduled-changes/model.js';
import { refuseUnapprovedSchedule, scheduledUpdate } from '../scheduled-changes/scope.js';
import { auditedWorkflow, inStages, stagedInstructions, workflowsOf, type StageSpec, type WorkflowDoc, type WorkflowRow } from './model.js';
import { unasked } from './progress.js';
import type { WorkflowContext } from './represent.js';
import { askApprovals, type WorkflowScope } from './run.js';

/** The flag's approval requests, scheduled changes and workflows in the environment, as workflows are shown with. */
export async function workflowContext(db: Db | Trx, scope: FlagInEnvironment): Promise<WorkflowContext> {
  const [requests, schedules, workflows] = await Promise.all([
    approvalsOf(db, scope.flag.row.id, scope.environment.id),
    schedulesOf(db, scope.flag.row.id, scope.environment.id),
    workflowsOf(db, scope.flag.row.id, scope.environment.id),
  ]);
  return { place: scope.place, requests: new Map(requests.map((r) => [r.id, r])), schedules, workflows };
}

/**
 * Whether the stages' instructions apply to the flag as it is now, each stage after those before it: the update path
 * run in full, written nowhere (its 400 names the stage instruction at fault). Where the environment requires approval
 * for the flag, a stage without an ld-approval condition is the caller's own change, refused with a 405 unless the
 * environment lets pending changes bypass approval or the caller may.
 */
export async function checkStages(deps: Deps, scope: FlagInEnvironment, stages: readonly StageSpec[], actor: Actor | undefined): Promise<void> {
  const { instructions, origins } = stagedInstructions(stages);
  const unapproved = stages.some((stage) => !stage.conditions.some((c) => c.kind === 'ld-approval'));
  try {
    await commitFlagUpdate(deps, {
      project: scope.project,
      flagKey: scope.place.flagKey,
      update: scheduledUpdate(scope.place.environmentKey, instructions),
      actor,
      dryRun: true,
      requireApproval: unapproved && !environmentApprovalSettings(scope.environment).bypassApprovalsForPendingChanges,
    });
  } catch (err) {
    throw inStages(err, origins);
  }
  // Stages that change nothing now (or undo one another) still change the flag when they run.
  if (unapproved) await refuseUnapprovedSchedule(deps, scope, actor);
}

/** Stores a new workflow of the flag in the environment (its first stage's approvals asked), audited; answers its id. */
export async function insertWorkflow(deps: Deps, params: FlagInEnvironmentParams, doc: WorkflowDoc, actor: Actor | undefined, now: number): Promise<string> {
  return deps.store.tx(async (trx) => {
    const { project, environment, place } = await flagInEnvironment(deps, trx, params);
    // Held until commit, so that the flag is not deleted under the new rows.
    const flag = await lockFlag(trx, deps.store, project, place.flagKey);
    const row: WorkflowRow = { id: objectId(now), flag_id: flag.row.id, environment_id: environment.id, status: 'active', doc: '', created_at: now };
    const scope: WorkflowScope = { workflowId: row.id, place, projectId: project.id, flagId: flag.row.id, flagName: flag.doc.name, environmentId: environment.id };
    await askApprovals(deps, trx, scope, doc, 0, unasked(doc.stages[0]), now);
    await trx.insertInto('flag_workflows').values({ ...row, doc: JSON.stringify(doc) }).execute();
    const description = `created the workflow "${doc.name}" of the flag ${flag.doc.name} in ${place.environmentKey}`;
    await recordAudit(trx, actor, now, flagEnvironmentAudit(place, flag.doc.name, 'updateFeatureWorkflows', description, { after: auditedWorkflow(row.id, doc) }));
    return row.id;
  });
}
