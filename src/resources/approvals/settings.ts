// Approval request settings by project and resource kind (LaunchDarkly's beta ApprovalRequestSettings): which resource
// kinds iterlab has them for, and what a client's query and ApprovalRequestSettingsPatch come to. Pure.
import { invalidRequest, objectBody, validationFailed, type FieldError } from '../../http/errors.js';
import { approvalSettingsErrors, memberErrors, type ApprovalSettings, type StoredApprovalKind } from '../environments/approvalSettings.js';

/**
 * The resource kinds iterlab keeps approval settings for: flags, whose settings in an environment are that
 * environment's `approvalSettings`, segments and AI Configs, whose are its `resourceApprovalSettings.segment` and
 * `.aiconfig` (the same stored data patchEnvironment changes). The approval gates enforce the flags' and segments';
 * the AI Configs' are kept and shown only (patchEnvironment takes them, as Terraform's approval_settings sends them).
 */
export const RESOURCE_KINDS = ['flag', 'segment', 'aiconfig'] as const satisfies readonly StoredApprovalKind[];
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

// LaunchDarkly's docs add experiments: iterlab has no approvals of them, and settings kept for them would read back as
// if experiment changes were reviewed. So the kind is refused, by name.
const NOT_BUILT: Record<string, string> = { experiment: 'experiments' };

/** A resource kind as a query or body names it, or the 400 saying why it is not one iterlab has settings for. */
export function readResourceKind(value: unknown): ResourceKind {
  if (typeof value !== 'string') throw validationFailed([{ attribute: 'resourceKind', reason: 'must be a string' }]);
  if ((RESOURCE_KINDS as readonly string[]).includes(value)) return value as ResourceKind;
  const only = `the resource kinds iterlab keeps approval settings for are ${RESOURCE_KINDS.map((k) => `"${k}"`).join(', ')}`;
  const reason = NOT_BUILT[value] !== undefined ? `"${value}" is not built: iterlab has no approvals of ${NOT_BUILT[value]}; ${only}` : `"${value}" is not a resource kind; ${only}`;
  throw validationFailed([{ attribute: 'resourceKind', reason }]);
}

/** A query parameter given at most once (empty counts as absent, as for the other query parameters). */
export function queryValue(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw invalidRequest('must be given once', name);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export interface SettingsQuery {
  environmentKey?: string;
  resourceKinds: readonly ResourceKind[];
  /** `_default` is shown (expand=default). */
  withDefault: boolean;
}

/**
 * getApprovalRequestSettings' query. `expand` values other than `default` are accepted and show nothing more, as on
 * the other operations with `expand`: `strict` names settings iterlab has none of (see docs/compatibility.md).
 */
export function readSettingsQuery(query: Record<string, unknown>): SettingsQuery {
  const environmentKey = queryValue(query, 'environmentKey');
  const kind = queryValue(query, 'resourceKind');
  const expand = new Set((queryValue(query, 'expand') ?? '').split(',').map((part) => part.trim()));
  return {
    ...(environmentKey !== undefined ? { environmentKey } : {}),
    resourceKinds: kind === undefined ? RESOURCE_KINDS : [readResourceKind(kind)],
    withDefault: expand.has('default'),
  };
}

/** The members of an ApprovalRequestSettingsPatch that say where it applies; the others are approval settings. */
const ADDRESS = ['environmentKey', 'resourceKind'] as const;

export interface SettingsPatch {
  environmentKey: string;
  resourceKind: ResourceKind;
  /** The approval settings the body gives (each to replace the current one). */
  members: Partial<ApprovalSettings>;
}

/**
 * A patch body's address and members, or a 400 naming each problem: `environmentKey` and `resourceKind` are
 * required, the rest are approval settings, and a member unknown to ApprovalRequestSettingsPatch is refused. Only the
 * nullable members may be null: `autoApplyApprovedChanges` (null is false, its default) and
 * `serviceKindConfigurationId` (which may only be null).
 */
export function readSettingsPatch(body: unknown): SettingsPatch {
  const given = objectBody(body, '(an ApprovalRequestSettingsPatch)');
  const errors: FieldError[] = memberErrors(given, '', ADDRESS);
  if (typeof given.environmentKey !== 'string' || given.environmentKey === '') {
    errors.push({ attribute: 'environmentKey', reason: given.environmentKey === undefined ? 'must be present' : 'must be a non-empty string' });
  }
  if (given.resourceKind === undefined) errors.push({ attribute: 'resourceKind', reason: 'must be present' });
  if (errors.length > 0) throw validationFailed(errors);
  const resourceKind = readResourceKind(given.resourceKind);
  const { environmentKey: _e, resourceKind: _r, serviceKindConfigurationId: _id, ...settings } = given;
  if (settings.autoApplyApprovedChanges === null) settings.autoApplyApprovedChanges = false;
  return { environmentKey: given.environmentKey as string, resourceKind, members: settings as Partial<ApprovalSettings> };
}

/** `current` with the patch's members replacing its own, or a 400 naming each member that is wrong in the result. */
export function patchedSettings(current: ApprovalSettings, members: Partial<ApprovalSettings>): ApprovalSettings {
  const next = { ...current, ...members };
  const errors = approvalSettingsErrors(next, '');
  if (errors.length > 0) throw validationFailed(errors);
  return next;
}
