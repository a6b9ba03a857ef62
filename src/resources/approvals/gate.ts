// Required approvals: which environments' approval settings a flag change runs into, and the 405 LaunchDarkly
// answers when it is made without an approved request. Changes to a flag's targeting in an environment need
// approval there; changes to its variations touch every environment, so every one that requires approval. Name,
// description, tags, maintainer, archiving and the like need none (LaunchDarkly's documented list), but for taking
// away a tag for which an environment requires approval: that would let the next change through unasked. Segments
// alike: changes to a segment's targeting need approval where its environment's segment settings require it.
import type { Actor, Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { taggedFor } from '../custom-roles/access.js';
import { decide, type ResourcePath } from '../custom-roles/policy.js';
import { flag, segment } from '../custom-roles/routeActions.js';
import { environmentApprovalSettings, requiresApproval, type ApprovalSettings } from '../environments/approvalSettings.js';
import type { FlagInEnvironment } from '../flags/inEnvironment.js';
import { segmentResourceId, type SegmentDoc, type SegmentPlace } from '../segments/model.js';

/** What an environment's targeting is, in a flag's representation: what approvals guard. */
const TARGETING = ['on', 'targets', 'contextTargets', 'rules', 'fallthrough', 'offVariation', 'prerequisites', 'trackEvents', 'trackEventsFallthrough'] as const;

type FlagRep = Record<string, unknown> & { tags?: string[]; environments?: Record<string, Record<string, unknown>> };

function targetingChanged(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): boolean {
  return TARGETING.some((field) => !deepEqual(before?.[field], after?.[field]));
}

/** Whether going from tags `before` to `after` takes away a tag the settings require approval for. */
function dropsRequiredTag(settings: ApprovalSettings, before: readonly string[], after: readonly string[] = []): boolean {
  return requiresApproval({ ...settings, required: false }, before.filter((tag) => !after.includes(tag)));
}

/** The keys of the environments whose approval settings the change from `before` to `after` needs approval in. */
export function environmentsNeedingApproval(before: FlagRep, after: FlagRep, environments: { key: string; doc: string }[]): string[] {
  const tags = before.tags ?? [];
  const variationsChanged = !deepEqual(before.variations, after.variations);
  return environments
    .filter((env) => {
      const settings = environmentApprovalSettings(env);
      if (!requiresApproval(settings, tags)) return false;
      return variationsChanged || targetingChanged(before.environments?.[env.key], after.environments?.[env.key]) || dropsRequiredTag(settings, tags, after.tags);
    })
    .map((env) => env.key);
}

/** What a segment's targeting is: what segment approvals guard (its name and description need none, as a flag's). */
const SEGMENT_TARGETING = ['included', 'excluded', 'includedContexts', 'excludedContexts', 'rules'] as const;

/** Whether changing a segment from `before` to `after` needs approval under its environment's segment approval settings. */
export function segmentChangeNeedsApproval(settings: ApprovalSettings, before: SegmentDoc, after: SegmentDoc): boolean {
  if (!requiresApproval(settings, before.tags)) return false;
  return SEGMENT_TARGETING.some((field) => !deepEqual(before[field], after[field])) || dropsRequiredTag(settings, before.tags, after.tags);
}

/**
 * Whether the caller's custom roles let it change the resource without approval (`bypassRequiredApproval` on it),
 * judged with the project's and environment's tags as the route check judges them.
 */
async function bypassesApproval(deps: Pick<Deps, 'store' | 'catalog'>, actor: Actor | undefined, resource: ResourcePath, actions = ['bypassRequiredApproval']): Promise<boolean> {
  const policy = actor?.policy;
  if (!policy) return false;
  const tagged = await taggedFor(deps.store.db, deps.catalog, policy, resource);
  return actions.some((action) => decide(policy, { resource: tagged, action }) === 'allow');
}

function approvalRequired(where: string, what: string, how: string): ApiError {
  return new ApiError(405, 'method_not_allowed', `Approval is required to make this request: environment ${where} requires approval for changes to this ${what}. Create an approval request (${how}) and apply it once approved`);
}

/**
 * The refusal of a segment change that needs approval in the segment's environment, unless the caller may bypass it
 * there (`bypassRequiredApproval`, or `bypassRequiredSegmentApproval`, the action LaunchDarkly added for segments).
 * LaunchDarkly answers it `403 {"code":"forbidden","message":"approval is required"}`, unlike a flag's 405, and its
 * Terraform provider recognises it by that message.
 */
export async function refuseUnapprovedSegment(deps: Pick<Deps, 'store' | 'catalog'>, actor: Actor | undefined, place: SegmentPlace, segmentTags: readonly string[]): Promise<void> {
  if (await bypassesApproval(deps, actor, segment(place.projectKey, place.environmentKey, place.segmentKey, segmentTags), ['bypassRequiredApproval', 'bypassRequiredSegmentApproval'])) return;
  const how = `POST /api/v2/approval-requests with the resourceId "${segmentResourceId(place)}"`;
  throw new ApiError(403, 'forbidden', `approval is required: environment "${place.environmentKey}" requires approval for changes to this segment. Create an approval request (${how}) and apply it once approved`);
}

/**
 * The 405 of what would change the flag's targeting in its environment later, unasked (a trigger, made or re-armed),
 * where that environment requires approval for the flag.
 */
export async function refuseUnapprovedIn(deps: Pick<Deps, 'store' | 'catalog'>, actor: Actor | undefined, scope: FlagInEnvironment): Promise<void> {
  if (requiresApproval(environmentApprovalSettings(scope.environment), scope.flag.doc.tags)) await refuseUnapproved(deps, actor, scope.place, [scope.place.environmentKey], scope.flag.doc.tags);
}

/** The 405 of a change that needs approval in `environmentKeys`, unless the caller may bypass it in each. */
export async function refuseUnapproved(deps: Pick<Deps, 'store' | 'catalog'>, actor: Actor | undefined, place: { projectKey: string; flagKey: string }, environmentKeys: string[], flagTags: readonly string[]): Promise<void> {
  const unapproved: string[] = [];
  for (const key of environmentKeys) if (!(await bypassesApproval(deps, actor, flag(place.projectKey, key, place.flagKey, flagTags)))) unapproved.push(key);
  if (unapproved.length === 0) return;
  const where = unapproved.map((key) => `"${key}"`).join(', ');
  throw approvalRequired(where, 'flag', `POST /api/v2/projects/${place.projectKey}/flags/${place.flagKey}/environments/${unapproved[0]}/approval-requests`);
}
