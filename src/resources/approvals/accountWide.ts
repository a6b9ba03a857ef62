// What the account-wide approval routes (/api/v2/approval-requests…) share: a request found by id alone (of a flag or
// of a segment), the custom role check on its resource (which the route cannot know before the handler), what each
// route does with it, and its representation with expansions.
import type { Actor, Deps } from '../../http/context.js';
import { ApiError, forbidden } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import { decide, VIEW_ACTION, type Policy } from '../custom-roles/policy.js';
import { flag, proj, segment } from '../custom-roles/routeActions.js';
import { environmentApprovalSettings } from '../environments/approvalSettings.js';
import { representEnvironment, type EnvironmentRow } from '../environments/environments.js';
import { flagInEnvironment, type FlagInEnvironment } from '../flags/inEnvironment.js';
import { representFlag } from '../flags/represent.js';
import { representProject, type ProjectRow } from '../projects/projects.js';
import { approvalRequestIdOf, authorizeOnResource, keyedRequests, type RequestRow } from './model.js';
import { representApproval, type ApprovalExpansions } from './represent.js';
import { applyApproval, deleteRequest, flagRequests, patchRequest, reviewRequest, type RequestKind, type RequestOutcome } from './requests.js';
import { segmentResourceId } from '../segments/model.js';
import { applySegmentApproval, segmentInEnvironment, segmentRequests, type SegmentInEnvironment } from './segmentRequests.js';

type Rep = Record<string, unknown>;

/** A request found by its id alone, and what the account-wide routes do with it; each answers the request as they show it. */
export interface AccountWideRequest {
  get(query: unknown): Promise<Rep>;
  review(body: unknown, actor: Actor | undefined, query: unknown): Promise<Rep>;
  patch(body: unknown, actor: Actor | undefined, query: unknown): Promise<Rep>;
  apply(body: unknown, actor: Actor | undefined, query: unknown): Promise<Rep>;
  remove(actor: Actor | undefined): Promise<void>;
}

function accountWide<S>(
  deps: Deps,
  id: string,
  kind: RequestKind<S>,
  apply: (body: unknown, actor: Actor | undefined) => Promise<RequestOutcome<S>>,
  represent: (scope: S, row: RequestRow, siblings: RequestRow[], query: unknown) => Rep,
): AccountWideRequest {
  const shown = async (outcome: Promise<RequestOutcome<S>>, query: unknown) => {
    const { scope, row, siblings } = await outcome;
    return represent(scope, row, siblings, query);
  };
  return {
    get: async (query) => {
      const { scope, row, others } = await kind.load(deps.store.db, id, false);
      return represent(scope, row, [row, ...others], query);
    },
    review: (body, actor, query) => shown(reviewRequest(deps, kind, id, body, actor), query),
    patch: (body, actor, query) => shown(patchRequest(deps, kind, id, body, actor), query),
    apply: (body, actor, query) => shown(apply(body, actor), query),
    remove: (actor) => deleteRequest(deps, kind, id, actor),
  };
}

/** Request `id` (of a flag or a segment), once the caller's custom roles allow `action` on its resource. */
async function requestOf(deps: Deps, id: string, actor: Actor | undefined, action: string): Promise<AccountWideRequest> {
  const db = deps.store.db;
  const [keys] = await keyedRequests(db, id);
  if (!keys) throw new ApiError(404, 'not_found', `Approval request "${id}" not found`);
  if (keys.kind === 'flag') {
    const scope = await flagInEnvironment(deps, db, { ...keys, featureFlagKey: keys.resourceKey });
    const { place } = scope;
    await authorizeOnResource(deps, actor, place.projectKey, flag(place.projectKey, place.environmentKey, place.flagKey, scope.flag.doc.tags), action);
    return accountWide(deps, id, flagRequests(deps, place), (body, by) => applyApproval(deps, place, id, body, by), representAccountWide);
  }
  const scope = await segmentInEnvironment(deps, db, { ...keys, segmentKey: keys.resourceKey });
  const { place } = scope;
  await authorizeOnResource(deps, actor, place.projectKey, segment(place.projectKey, place.environmentKey, place.segmentKey, scope.segment.doc.tags), action);
  return accountWide(deps, id, segmentRequests(deps, place), (body, by) => applySegmentApproval(deps, place, id, body, by), representSegmentAccountWide);
}

/**
 * Request `id`, once the caller's custom roles allow `action` on its flag or segment. To a custom-role token that may
 * not reach every flag and segment, an unknown id is the same 403 as a request of one it may not reach: it learns
 * nothing of requests outside its roles.
 */
export async function authorizedRequest(deps: Deps, id: string, actor: Actor | undefined, action: string): Promise<AccountWideRequest> {
  try {
    return await requestOf(deps, await approvalRequestIdOf(deps.store.db, id), actor, action);
  } catch (err) {
    if (actor?.policy && err instanceof ApiError && err.statusCode === 404 && !reachesEveryResource(actor.policy, action)) throw forbidden(`Forbidden. The token's custom roles do not allow ${action} on approval request "${id}", or there is no such request`);
    throw err;
  }
}

/** Whether the custom roles allow `action` on every flag and segment (so an unknown request id is theirs to be told of). */
function reachesEveryResource(policy: Policy, action: string): boolean {
  if (decide(policy, { resource: proj('*'), action: VIEW_ACTION }) !== 'allow') return false;
  return action === VIEW_ACTION || [flag('*', '*', '*'), segment('*', '*', '*')].every((resource) => decide(policy, { resource, action }) === 'allow');
}

/** `expand=project,environments`: each as its own route shows it. */
function placeExpansions(project: ProjectRow, environment: EnvironmentRow, expand: Set<string>): ApprovalExpansions {
  return {
    ...(expand.has('project') ? { project: representProject(project) } : {}),
    ...(expand.has('environments') ? { environments: [representEnvironment(project.key, environment)] } : {}),
  };
}

/** `expand=project,environments,flag`: each as its own route shows it (the flag without its environments). */
export function expansionsOf(scope: FlagInEnvironment, expand: Set<string>): ApprovalExpansions {
  const { environments: _environments, ...flag } = representFlag(scope.project.key, { key: scope.flag.row.key, doc: scope.flag.doc, environments: [], maintainer: undefined });
  return { ...placeExpansions(scope.project, scope.environment, expand), ...(expand.has('flag') ? { flag } : {}) };
}

function expandOf(query: unknown): Set<string> {
  return readExpand((query ?? {}) as Record<string, unknown>);
}

export function representAccountWide(scope: FlagInEnvironment, row: RequestRow, siblings: RequestRow[], query: unknown): Rep {
  return representApproval(row, { kind: 'flag', place: scope.place }, siblings, environmentApprovalSettings(scope.environment), expansionsOf(scope, expandOf(query)));
}

/** A segment's request: `expand=flag` shows nothing, since it is of no flag. */
export function representSegmentAccountWide(scope: SegmentInEnvironment, row: RequestRow, siblings: RequestRow[], query: unknown): Rep {
  const resource = { kind: 'segment' as const, resourceId: segmentResourceId(scope.place) };
  return representApproval(row, resource, siblings, environmentApprovalSettings(scope.environment, 'segment'), placeExpansions(scope.project, scope.environment, expandOf(query)));
}
