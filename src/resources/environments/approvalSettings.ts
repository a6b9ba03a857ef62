// An environment's approval settings (LaunchDarkly's ApprovalSettings): whether changes to flags' targeting there
// need an approved approval request, and who may review and apply one; and the rules a client's edit of them obeys. Pure.
import { Type } from '@sinclair/typebox';
import type { FieldError } from '../../http/errors.js';
import { Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';

export interface ApprovalSettings {
  required: boolean;
  bypassApprovalsForPendingChanges: boolean;
  minNumApprovals: number;
  canReviewOwnRequest: boolean;
  canApplyDeclinedChanges: boolean;
  autoApplyApprovedChanges: boolean;
  serviceKind: string;
  serviceConfig: Record<string, unknown>;
  requiredApprovalTags: string[];
}

/** What an environment has until its settings are changed: approvals optional, one approval to apply. */
export const DEFAULT_APPROVAL_SETTINGS: ApprovalSettings = Object.freeze({
  required: false,
  bypassApprovalsForPendingChanges: false,
  minNumApprovals: 1,
  canReviewOwnRequest: false,
  canApplyDeclinedChanges: true,
  autoApplyApprovedChanges: false,
  serviceKind: 'launchdarkly',
  serviceConfig: Object.freeze({}) as Record<string, unknown>,
  requiredApprovalTags: Object.freeze([]) as unknown as string[],
});

/** The settings an environment's stored doc holds (the defaults when it holds none). */
export function approvalSettingsOf(doc: { approvalSettings?: ApprovalSettings }): ApprovalSettings {
  return doc.approvalSettings ?? DEFAULT_APPROVAL_SETTINGS;
}

// The only approval service iterlab has: its own reviews (LaunchDarkly's other kinds are integrations like ServiceNow).
const LAUNCHDARKLY = 'launchdarkly';

const Members = Type.Object(
  {
    required: Type.Boolean(),
    bypassApprovalsForPendingChanges: Type.Boolean(),
    minNumApprovals: Type.Integer({ minimum: 1, maximum: 5 }),
    canReviewOwnRequest: Type.Boolean(),
    canApplyDeclinedChanges: Type.Boolean(),
    autoApplyApprovedChanges: Type.Boolean(),
    serviceKind: Type.String(),
    serviceConfig: Type.Object({}),
    requiredApprovalTags: Tags,
  },
  { additionalProperties: false },
);

const MEMBERS = Object.keys(DEFAULT_APPROVAL_SETTINGS) as (keyof ApprovalSettings)[];

/** What iterlab refuses in settings whose members are each well-formed: another approval service, or members at odds. */
function conflicts(settings: ApprovalSettings): FieldError[] {
  const errors: FieldError[] = [];
  const at = (member: string, reason: string) => errors.push({ attribute: `approvalSettings.${member}`, reason });
  if (settings.serviceKind !== LAUNCHDARKLY) {
    at('serviceKind', `must be "${LAUNCHDARKLY}": iterlab has no ServiceNow or other approval integration`);
    return errors;
  }
  if (Object.keys(settings.serviceConfig).length > 0) at('serviceConfig', `must be empty: the "${LAUNCHDARKLY}" approval service takes no configuration`);
  if (settings.autoApplyApprovedChanges) {
    at('autoApplyApprovedChanges', `must be false: approved changes are applied automatically only by approval services other than "${LAUNCHDARKLY}"`);
  }
  if (settings.required && settings.requiredApprovalTags.length > 0) {
    at('requiredApprovalTags', 'must be empty when approvalSettings.required is true: approvals are required either for every flag in an environment or for flags with specific tags, not both');
  }
  return errors;
}

/**
 * The settings a client's edited `approvalSettings` comes to, or what is wrong with it (attributes under
 * `approvalSettings`). A member that is absent or null takes its default, and so does the whole when it is absent
 * or null: Terraform sends null for an empty list or map, and removes `required` and `requiredApprovalTags` to turn
 * approvals off. `serviceKindConfigurationId` (a custom approval integration's, which iterlab has none of) may only be
 * absent or null.
 */
export function readApprovalSettings(value: unknown): { settings: ApprovalSettings } | { settings?: undefined; errors: FieldError[] } {
  const defaults: ApprovalSettings = { ...DEFAULT_APPROVAL_SETTINGS, serviceConfig: {}, requiredApprovalTags: [] };
  if (value === undefined || value === null) return { settings: defaults };
  if (typeof value !== 'object' || Array.isArray(value)) return { errors: [{ attribute: 'approvalSettings', reason: 'must be an object' }] };
  const given = value as Record<string, unknown>;
  const errors: FieldError[] = [];
  for (const member of Object.keys(given)) {
    if (member === 'serviceKindConfigurationId') {
      if (given[member] !== null) errors.push({ attribute: `approvalSettings.${member}`, reason: 'must be absent or null: iterlab has no custom approval integration' });
    } else if (!(MEMBERS as string[]).includes(member)) {
      errors.push({ attribute: `approvalSettings.${member}`, reason: `is not an approval setting; approval settings are ${MEMBERS.join(', ')}` });
    }
  }
  if (errors.length > 0) return { errors };
  const settings = Object.fromEntries(MEMBERS.map((member) => [member, given[member] ?? defaults[member]])) as unknown as ApprovalSettings;
  const shape = check(Members, settings, 'approvalSettings');
  if (shape.length > 0) return { errors: shape };
  const conflicting = conflicts(settings);
  return conflicting.length > 0 ? { errors: conflicting } : { settings };
}

/** The settings of an environment's stored row. */
export function environmentApprovalSettings(row: { doc: string }): ApprovalSettings {
  return approvalSettingsOf(JSON.parse(row.doc) as { approvalSettings?: ApprovalSettings });
}

/** Whether a flag with these tags needs approval to change there: every flag when `required`, else flags with a required tag. */
export function requiresApproval(settings: ApprovalSettings, flagTags: readonly string[]): boolean {
  return settings.required || settings.requiredApprovalTags.some((tag) => flagTags.includes(tag));
}
