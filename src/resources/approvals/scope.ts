// Where the approval routes are: under a flag in one environment (flags/inEnvironment.ts resolves it), and
// account-wide by id, where the request itself says which flag and environment it is of.
import type { FlagInEnvironmentParams, FlagPlace } from '../flags/inEnvironment.js';

export const FLAG_APPROVALS_URL = '/api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/approval-requests';
/** Where a flag's copy requests are asked (postFlagCopyConfigApprovalRequest); they are the flag's requests thereafter. */
export const FLAG_COPY_APPROVALS_URL = `${FLAG_APPROVALS_URL}-flag-copy`;
export const APPROVALS_URL = '/api/v2/approval-requests';

/** The flag and environment a flag-scoped route's parameters name. */
export function placeOf(params: FlagInEnvironmentParams): FlagPlace {
  return { projectKey: params.projectKey, flagKey: params.featureFlagKey, environmentKey: params.environmentKey };
}
