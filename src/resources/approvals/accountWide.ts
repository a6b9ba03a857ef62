// What the account-wide approval routes (/api/v2/approval-requests…) share: a request found by id alone, the custom
// role check on its flag (which the route cannot know before the handler), and its representation with expansions.
import type { Actor, Deps } from '../../http/context.js';
import { ApiError, forbidden } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import type { Db } from '../../store/db.js';
import { decide, VIEW_ACTION, type Policy } from '../custom-roles/policy.js';
import { flag, proj } from '../custom-roles/routeActions.js';
import { environmentApprovalSettings } from '../environments/approvalSettings.js';
import { representEnvironment } from '../environments/environments.js';
import type { FlagInEnvironment } from '../flags/inEnvironment.js';
import { representFlag } from '../flags/represent.js';
import { representProject } from '../projects/projects.js';
import { authorizeOnFlag, type ApprovalRow } from './model.js';
import { representApproval, type ApprovalExpansions } from './represent.js';
import { scopeOfApproval } from './requests.js';

/**
 * The flag and environment of request `id`, once the caller's custom roles allow `action` on that flag there. To a
 * custom-role token that may not reach every flag, an unknown id is the same 403 as a request of a flag it may not
 * reach: it learns nothing of requests outside its roles.
 */
export async function authorizedScope(deps: Deps, db: Db, id: string, actor: Actor | undefined, action: string): Promise<FlagInEnvironment> {
  let scope: FlagInEnvironment;
  try {
    scope = await scopeOfApproval(deps, db, id);
  } catch (err) {
    if (actor?.policy && err instanceof ApiError && err.statusCode === 404 && !reachesEveryFlag(actor.policy, action)) throw forbidden(`Forbidden. The token's custom roles do not allow ${action} on approval request "${id}", or there is no such request`);
    throw err;
  }
  authorizeOnFlag(actor, scope.place, scope.flag.doc.tags, action);
  return scope;
}

/** Whether the custom roles allow `action` on every flag (so an unknown request id is theirs to be told of). */
function reachesEveryFlag(policy: Policy, action: string): boolean {
  return decide(policy, { resource: proj('*'), action: VIEW_ACTION }) === 'allow' && (action === VIEW_ACTION || decide(policy, { resource: flag('*', '*', '*'), action }) === 'allow');
}

/** `expand=project,environments,flag`: each as its own route shows it (the flag without its environments). */
export function expansionsOf(scope: FlagInEnvironment, expand: Set<string>): ApprovalExpansions {
  const { environments: _environments, ...flag } = representFlag(scope.project.key, { key: scope.flag.row.key, doc: scope.flag.doc, environments: [], maintainer: undefined });
  return {
    ...(expand.has('project') ? { project: representProject(scope.project) } : {}),
    ...(expand.has('environments') ? { environments: [representEnvironment(scope.project.key, scope.environment)] } : {}),
    ...(expand.has('flag') ? { flag } : {}),
  };
}

export function representAccountWide(scope: FlagInEnvironment, row: ApprovalRow, siblings: ApprovalRow[], query: unknown): Record<string, unknown> {
  return representApproval(row, scope.place, siblings, environmentApprovalSettings(scope.environment), expansionsOf(scope, readExpand((query ?? {}) as Record<string, unknown>)));
}
