// The flag and environment a scheduled-change route names (404 naming the one that is not there), and the dry run
// that tells whether instructions would apply to the flag now.
import type { Actor, Deps } from '../../http/context.js';
import type { Db, Trx } from '../../store/db.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { findFlag, type LoadedFlag } from '../flags/model.js';
import { parseFlagUpdate } from '../flags/update.js';
import type { SchedulePlace } from './represent.js';

export interface ScheduleParams {
  projectKey: string;
  featureFlagKey: string;
  environmentKey: string;
}

export const SCHEDULES_URL = '/api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/scheduled-changes';
export const SEMANTIC_PATCH = 'application/json; domain-model=launchdarkly.semanticpatch';

export interface ScheduleScope {
  project: { id: string; key: string };
  environment: { id: string; key: string };
  flag: LoadedFlag;
  place: SchedulePlace;
}

export async function scheduleScope(deps: Deps, db: Db | Trx, params: ScheduleParams): Promise<ScheduleScope> {
  const { project, environment } = await deps.catalog.projectEnvironment(params.projectKey, params.environmentKey);
  const flag = await findFlag(db, project, params.featureFlagKey);
  return { project, environment, flag, place: { projectKey: project.key, flagKey: flag.row.key, environmentKey: environment.key } };
}

/** The flag update a schedule's instructions make in its environment. */
export function scheduledUpdate(environmentKey: string, instructions: Record<string, unknown>[], comment?: string) {
  return parseFlagUpdate({ environmentKey, instructions, ...(comment !== undefined ? { comment } : {}) }, SEMANTIC_PATCH);
}

/**
 * Whether the instructions apply to the flag as it is now: the update path run in full (checks and guards), written
 * nowhere. Its 400 or 409 is the schedule's.
 */
export async function checkApplies(deps: Deps, scope: ScheduleScope, instructions: Record<string, unknown>[], actor: Actor | undefined): Promise<void> {
  await commitFlagUpdate(deps, { project: scope.project, flagKey: scope.place.flagKey, update: scheduledUpdate(scope.place.environmentKey, instructions), actor, dryRun: true });
}
