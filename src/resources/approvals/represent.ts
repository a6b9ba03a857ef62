// The FlagConfigApprovalRequestResponse and ExpandableApprovalRequestResponse representations (and their lists), and
// a project's ApprovalRequestSettings: the only code that builds approval JSON.
import { link } from '../../http/links.js';
import { DEFAULT_APPROVAL_SETTINGS, type ApprovalSettings } from '../environments/approvalSettings.js';
import { flagResource, type FlagPlace } from '../flags/inEnvironment.js';
import { approvalDoc, conflictsOf, shownReview, type ApprovalRow } from './model.js';
import { APPROVALS_URL as APPROVALS_PATH } from './scope.js';

export function flagApprovalsPath(place: FlagPlace): string {
  return `/api/v2/projects/${place.projectKey}/flags/${place.flagKey}/environments/${place.environmentKey}/approval-requests`;
}

/** What the flag-scoped and account-wide representations share; `siblings` are the flag's other requests in the environment. */
function common(row: ApprovalRow, siblings: ApprovalRow[]): Record<string, unknown> {
  const doc = approvalDoc(row);
  return {
    _id: row.id,
    _version: doc.version,
    creationDate: Number(row.created_at),
    serviceKind: 'launchdarkly',
    requestorId: row.requestor_id,
    description: doc.description,
    reviewStatus: row.review_status,
    allReviews: doc.allReviews.map(shownReview),
    notifyMemberIds: doc.notifyMemberIds,
    ...(doc.appliedDate !== undefined ? { appliedDate: doc.appliedDate } : {}),
    ...(doc.appliedByMemberId !== undefined ? { appliedByMemberId: doc.appliedByMemberId } : {}),
    ...(doc.appliedByServiceTokenId !== undefined ? { appliedByServiceTokenId: doc.appliedByServiceTokenId } : {}),
    status: row.status,
    instructions: doc.instructions,
    conflicts: row.status === 'pending' ? conflictsOf(doc.instructions, siblings.filter((s) => s.id !== row.id)) : [],
    ...(doc.executionDate !== undefined ? { executionDate: doc.executionDate } : {}),
  };
}

/** A request as the flag's own routes show it. */
export function representFlagApproval(row: ApprovalRow, place: FlagPlace, siblings: ApprovalRow[]): Record<string, unknown> {
  return { ...common(row, siblings), _links: { parent: link(flagApprovalsPath(place)), self: link(`${flagApprovalsPath(place)}/${row.id}`) } };
}

/** The expansions the account-wide routes may add: the project, the environment and the flag, as their own routes show them. */
export interface ApprovalExpansions {
  project?: Record<string, unknown>;
  environments?: Record<string, unknown>[];
  flag?: Record<string, unknown>;
}

/** A request as the account-wide routes show it: with its resource's id and its environment's approval settings. */
export function representApproval(row: ApprovalRow, place: FlagPlace, siblings: ApprovalRow[], settings: ApprovalSettings, expanded: ApprovalExpansions = {}): Record<string, unknown> {
  return {
    ...common(row, siblings),
    _links: { parent: link(APPROVALS_PATH), self: link(`${APPROVALS_PATH}/${row.id}`), flag: link(`${flagApprovalsPath(place)}/${row.id}`) },
    resourceId: flagResource(place),
    approvalSettings: settings,
    ...expanded,
  };
}

/**
 * A project's ApprovalRequestSettings: for each resource kind, `environments` (each environment's settings, in the
 * project's order) and, with `withDefault`, `_default` (what an environment has until its settings are changed).
 */
export function representApprovalRequestSettings(
  kinds: readonly string[],
  environments: readonly { key: string; settings: ApprovalSettings }[],
  withDefault: boolean,
): Record<string, unknown> {
  const setting = (settings: ApprovalSettings) => ({ ...settings, serviceConfig: { ...settings.serviceConfig }, requiredApprovalTags: [...settings.requiredApprovalTags] });
  return Object.fromEntries(
    kinds.map((kind) => [
      kind,
      {
        environments: Object.fromEntries(environments.map((env) => [env.key, setting(env.settings)])),
        ...(withDefault ? { _default: setting(DEFAULT_APPROVAL_SETTINGS) } : {}),
      },
    ]),
  );
}
