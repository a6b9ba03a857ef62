// A copy request's copy (postFlagCopyConfigApprovalRequest): the instructions it shows, the copyFeatureFlag change that
// applying it makes in its environment, and what custom roles that change asks besides applyApprovalRequest. Pure.
import type { Actor, Deps } from '../../http/context.js';
import { refuseUnlessAllowedTagged } from '../custom-roles/access.js';
import { flag } from '../custom-roles/routeActions.js';
import type { FlagUpdateCommit } from '../flags/commitUpdate.js';
import { ACTIONS, copiedActions, copiedFields, flagCopyChange, type CopyAction, type FlagCopyConfigPost } from '../flags/copyFeatureFlag.js';
import type { FlagPlace } from '../flags/inEnvironment.js';
import type { CopyAsked } from './model.js';

/**
 * The actions a copy request may name (CreateCopyFlagConfigApprovalRequestRequest's): copyFeatureFlag's, but for
 * `updateFlagConfigMigrationSettings` (there is no migration setting to copy).
 */
export const REQUESTABLE_COPY_ACTIONS: CopyAction[] = ACTIONS.filter((action) => action !== 'updateFlagConfigMigrationSettings');

/**
 * The copy's actions, each as an instruction `{kind}`: what the request shows reviewers it will copy, and what its
 * conflicts are reckoned on.
 */
export function copyInstructions(asked: CopyAsked): Record<string, unknown>[] {
  return copiedActions(asked)
    .filter((action) => REQUESTABLE_COPY_ACTIONS.includes(action))
    .map((kind) => ({ kind }));
}

/**
 * The copy as copyFeatureFlag makes it, from the source into the request's environment: the source's `version`, when
 * asked, is copyFeatureFlag's `source.currentVersion` (a 409 once the source has moved on), named as the request names it.
 */
export function copyChange(place: FlagPlace, asked: CopyAsked, comment: string | undefined, approvalRequestId?: string): Pick<FlagUpdateCommit, 'update' | 'audit'> {
  const body: FlagCopyConfigPost = {
    source: { key: asked.source.key, ...(asked.source.version !== undefined ? { currentVersion: asked.source.version } : {}) },
    target: { key: place.environmentKey },
    ...(asked.includedActions ? { includedActions: asked.includedActions } : {}),
    ...(asked.excludedActions ? { excludedActions: asked.excludedActions } : {}),
    ...(comment !== undefined ? { comment } : {}),
  };
  const versions = { source: 'source.version', target: 'environmentKey' };
  return flagCopyChange(place, body, copiedFields(asked), { versions, ...(approvalRequestId !== undefined ? { approvalRequestId } : {}) });
}

/**
 * The 403 of a custom-role caller that may not make the copy itself: applying a copy request is copying, so it needs
 * what copyFeatureFlag needs (copyFlagConfigFrom on the source's flag, copyFlagConfigTo on the target's) besides
 * applyApprovalRequest, which the apply routes check.
 */
export async function refuseUncopyable(deps: Pick<Deps, 'store' | 'catalog'>, actor: Actor | undefined, place: FlagPlace, tags: readonly string[], asked: CopyAsked): Promise<void> {
  const policy = actor?.policy;
  if (!policy) return;
  await refuseUnlessAllowedTagged(deps.store.db, deps.catalog, policy, [
    [{ resource: flag(place.projectKey, asked.source.key, place.flagKey, tags), action: 'copyFlagConfigFrom' }],
    [{ resource: flag(place.projectKey, place.environmentKey, place.flagKey, tags), action: 'copyFlagConfigTo' }],
  ]);
}
