// Where the scheduled-change routes are (under a flag in one environment: flags/inEnvironment.ts resolves it), the
// flag update a schedule makes, and the dry run that tells whether it would apply to the flag now.
import type { Actor, Deps } from '../../http/context.js';
import { SEMANTIC_PATCH_TYPE } from '../../http/patch/semanticPatch.js';
import { refuseUnapprovedIn } from '../approvals/gate.js';
import { environmentApprovalSettings } from '../environments/approvalSettings.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import type { FlagInEnvironment } from '../flags/inEnvironment.js';
import { parseFlagUpdate } from '../flags/update.js';

export const SCHEDULES_URL = '/api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/scheduled-changes';

/** The flag update a schedule's instructions make in its environment. */
export function scheduledUpdate(environmentKey: string, instructions: Record<string, unknown>[], comment?: string) {
  return parseFlagUpdate({ environmentKey, instructions, ...(comment !== undefined ? { comment } : {}) }, SEMANTIC_PATCH_TYPE);
}

/**
 * Whether the instructions apply to the flag as it is now: the update path run in full (checks and guards), written
 * nowhere. Its 400 or 409 is the schedule's, and so is its 405 where the environment requires approval for the change
 * (unless its settings let pending changes bypass it) — even for instructions that would change nothing now, since
 * they change the flag when they come due.
 */
export async function checkApplies(deps: Deps, scope: FlagInEnvironment, instructions: Record<string, unknown>[], actor: Actor | undefined): Promise<void> {
  await commitFlagUpdate(deps, {
    project: scope.project,
    flagKey: scope.place.flagKey,
    update: scheduledUpdate(scope.place.environmentKey, instructions),
    actor,
    dryRun: true,
    requireApproval: !environmentApprovalSettings(scope.environment).bypassApprovalsForPendingChanges,
  });
  await refuseUnapprovedSchedule(deps, scope, actor);
}

/**
 * The flag PATCH's 405 for making or changing (moving) a schedule where the environment requires approval for the
 * flag, unless its settings let pending changes bypass it or the caller's custom roles bypass approval there.
 */
export async function refuseUnapprovedSchedule(deps: Deps, scope: FlagInEnvironment, actor: Actor | undefined): Promise<void> {
  if (!environmentApprovalSettings(scope.environment).bypassApprovalsForPendingChanges) await refuseUnapprovedIn(deps, actor, scope);
}
