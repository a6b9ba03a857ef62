// The FlagConfigApprovalRequestResponse and ExpandableApprovalRequestResponse representations (and their lists), of
// flags' requests and segments', and a project's ApprovalRequestSettings: the only code that builds approval JSON.
import { link } from '../../http/links.js';
import { DEFAULT_APPROVAL_SETTINGS, environmentApprovalSettings, type ApprovalSettings, type StoredApprovalKind } from '../environments/approvalSettings.js';
import { flagResource, type FlagPlace } from '../flags/inEnvironment.js';
import { approvalDoc, conflictsOf, shownReview, type RequestRow } from './model.js';
import { APPROVALS_URL as APPROVALS_PATH } from './scope.js';

export function flagApprovalsPath(place: FlagPlace): string {
  return `/api/v2/projects/${place.projectKey}/flags/${place.flagKey}/environments/${place.environmentKey}/approval-requests`;
}

/** What the flag-scoped and account-wide representations share; `siblings` are the resource's other requests (in the environment). */
function common(row: RequestRow, siblings: RequestRow[], noun: 'flag' | 'segment'): Record<string, unknown> {
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
    conflicts: row.status === 'pending' ? conflictsOf(row, siblings.filter((s) => s.id !== row.id), noun) : [],
    ...(doc.executionDate !== undefined ? { executionDate: doc.executionDate } : {}),
    // A copy request's source environment (CopiedFromEnv), and the version it must be copied from when one was asked.
    ...(doc.copy ? { source: { ...doc.copy.source } } : {}),
    ...(doc.customWorkflow ? { customWorkflowMetadata: { name: doc.customWorkflow.name, stage: { ...doc.customWorkflow.stage } } } : {}),
  };
}

/** A request as the flag's own routes show it. */
export function representFlagApproval(row: RequestRow, place: FlagPlace, siblings: RequestRow[]): Record<string, unknown> {
  return { ...common(row, siblings, 'flag'), _links: { parent: link(flagApprovalsPath(place)), self: link(`${flagApprovalsPath(place)}/${row.id}`) } };
}

/** The expansions the account-wide routes may add: the project, the environment and the flag (of a flag's request), as their own routes show them. */
export interface ApprovalExpansions {
  project?: Record<string, unknown>;
  environments?: Record<string, unknown>[];
  flag?: Record<string, unknown>;
}

/** What a request is of, as the account-wide representation names it. */
export type RequestResource = { kind: 'flag'; place: FlagPlace } | { kind: 'segment'; resourceId: string };

/**
 * A request as the account-wide routes show it: with its resource's id and the approval settings of its resource kind
 * in its environment. A flag's links to itself under the flag too; a segment's has no such route.
 */
export function representApproval(row: RequestRow, resource: RequestResource, siblings: RequestRow[], settings: ApprovalSettings, expanded: ApprovalExpansions = {}): Record<string, unknown> {
  const links = { parent: link(APPROVALS_PATH), self: link(`${APPROVALS_PATH}/${row.id}`) };
  return {
    ...common(row, siblings, resource.kind),
    _links: resource.kind === 'flag' ? { ...links, flag: link(`${flagApprovalsPath(resource.place)}/${row.id}`) } : links,
    resourceId: resource.kind === 'flag' ? flagResource(resource.place) : resource.resourceId,
    approvalSettings: settings,
    ...expanded,
  };
}

/**
 * A project's ApprovalRequestSettings: for each resource kind, `environments` (each environment's settings, in the
 * project's order) and, with `withDefault`, `_default` (what an environment has until its settings are changed).
 */
export function representApprovalRequestSettings(
  kinds: readonly StoredApprovalKind[],
  environments: readonly { key: string; doc: string }[],
  withDefault: boolean,
): Record<string, unknown> {
  const setting = (settings: ApprovalSettings) => ({ ...settings, serviceConfig: { ...settings.serviceConfig }, requiredApprovalTags: [...settings.requiredApprovalTags] });
  return Object.fromEntries(
    kinds.map((kind) => [
      kind,
      {
        environments: Object.fromEntries(environments.map((env) => [env.key, setting(environmentApprovalSettings(env, kind))])),
        ...(withDefault ? { _default: setting(DEFAULT_APPROVAL_SETTINGS) } : {}),
      },
    ]),
  );
}
