// Required approvals: which environments' approval settings a flag change runs into, and the 405 LaunchDarkly
// answers when it is made without an approved request. Changes to a flag's targeting in an environment need
// approval there; changes to its variations touch every environment, so every one that requires approval. Name,
// description, tags, maintainer, archiving and the like need none (LaunchDarkly's documented list), but for taking
// away a tag for which an environment requires approval: that would let the next change through unasked.
import type { Actor } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { decide } from '../custom-roles/policy.js';
import { flag } from '../custom-roles/routeActions.js';
import { environmentApprovalSettings, requiresApproval } from '../environments/approvalSettings.js';
import type { FlagInEnvironment } from '../flags/inEnvironment.js';

/** What an environment's targeting is, in a flag's representation: what approvals guard. */
const TARGETING = ['on', 'targets', 'contextTargets', 'rules', 'fallthrough', 'offVariation', 'prerequisites', 'trackEvents', 'trackEventsFallthrough'] as const;

type FlagRep = Record<string, unknown> & { tags?: string[]; environments?: Record<string, Record<string, unknown>> };

function targetingChanged(before: Record<string, unknown> | undefined, after: Record<string, unknown> | undefined): boolean {
  return TARGETING.some((field) => !deepEqual(before?.[field], after?.[field]));
}

/** The keys of the environments whose approval settings the change from `before` to `after` needs approval in. */
export function environmentsNeedingApproval(before: FlagRep, after: FlagRep, environments: { key: string; doc: string }[]): string[] {
  const tags = before.tags ?? [];
  const removed = tags.filter((tag) => !(after.tags ?? []).includes(tag));
  const variationsChanged = !deepEqual(before.variations, after.variations);
  return environments
    .filter((env) => {
      const settings = environmentApprovalSettings(env);
      if (!requiresApproval(settings, tags)) return false;
      return variationsChanged || targetingChanged(before.environments?.[env.key], after.environments?.[env.key]) || requiresApproval({ ...settings, required: false }, removed);
    })
    .map((env) => env.key);
}

/** Whether the caller's custom roles let it change the flag in the environment without approval (`bypassRequiredApproval`). */
function bypassesApproval(actor: Actor | undefined, projectKey: string, environmentKey: string, flagKey: string, flagTags: readonly string[]): boolean {
  if (!actor?.policy) return false;
  return decide(actor.policy, { resource: flag(projectKey, environmentKey, flagKey, flagTags), action: 'bypassRequiredApproval' }) === 'allow';
}

/**
 * The 405 of what would change the flag's targeting in its environment later, unasked (a trigger, made or re-armed),
 * where that environment requires approval for the flag.
 */
export function refuseUnapprovedIn(actor: Actor | undefined, scope: FlagInEnvironment): void {
  if (requiresApproval(environmentApprovalSettings(scope.environment), scope.flag.doc.tags)) refuseUnapproved(actor, scope.place, [scope.place.environmentKey], scope.flag.doc.tags);
}

/** The 405 of a change that needs approval in `environmentKeys`, unless the caller may bypass it in each. */
export function refuseUnapproved(actor: Actor | undefined, place: { projectKey: string; flagKey: string }, environmentKeys: string[], flagTags: readonly string[]): void {
  const unapproved = environmentKeys.filter((key) => !bypassesApproval(actor, place.projectKey, key, place.flagKey, flagTags));
  if (unapproved.length === 0) return;
  const where = unapproved.map((key) => `"${key}"`).join(', ');
  throw new ApiError(
    405,
    'method_not_allowed',
    `Approval is required to make this request: environment ${where} requires approval for changes to this flag. Create an approval request (POST /api/v2/projects/${place.projectKey}/flags/${place.flagKey}/environments/${unapproved[0]}/approval-requests) and apply it once approved`,
  );
}
