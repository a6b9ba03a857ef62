// An environment's approval settings (LaunchDarkly's ApprovalSettings): whether changes to flags' targeting there
// (`approvalSettings`) or to segments' (`resourceApprovalSettings.segment`) need an approved approval request, and who
// may review and apply one; and the rules a client's edit of them obeys. AI Configs' (`resourceApprovalSettings.aiconfig`)
// are kept and shown but gate nothing (iterlab has no approvals of AI Configs). Pure.
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

/** The kinds of resource iterlab has approvals of. */
export type ApprovalResourceKind = 'flag' | 'segment';

/**
 * LaunchDarkly's Environment.resourceApprovalSettings, by resource kind: the approval settings of what is not a flag.
 * iterlab keeps `segment`, which its segment approvals obey, and `aiconfig`, which nothing obeys (kept so that
 * Terraform's approval_settings of resource_kind "aiconfig" applies and reads back).
 */
export interface ResourceApprovalSettings {
  segment?: ApprovalSettings;
  aiconfig?: ApprovalSettings;
}

/** The kinds an environment keeps approval settings of: those iterlab has approvals of, and `aiconfig`. */
export type StoredApprovalKind = ApprovalResourceKind | 'aiconfig';

/** The kinds of `resourceApprovalSettings`, in the order environments show them. */
export const RESOURCE_APPROVAL_KINDS = ['segment', 'aiconfig'] as const;

type SettingsDoc = { approvalSettings?: ApprovalSettings; resourceApprovalSettings?: ResourceApprovalSettings };

/** The settings of one resource kind in an environment's stored doc: flags' are `approvalSettings`, the others under `resourceApprovalSettings`. */
export function approvalSettingsFor(doc: SettingsDoc, kind: StoredApprovalKind): ApprovalSettings {
  return kind === 'flag' ? approvalSettingsOf(doc) : (doc.resourceApprovalSettings?.[kind] ?? DEFAULT_APPROVAL_SETTINGS);
}

/** The doc with one resource kind's settings replaced. */
export function withApprovalSettings<D extends SettingsDoc>(doc: D, kind: StoredApprovalKind, settings: ApprovalSettings): D {
  if (kind === 'flag') return { ...doc, approvalSettings: settings };
  return { ...doc, resourceApprovalSettings: { ...doc.resourceApprovalSettings, [kind]: settings } };
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

/** The members of approval settings, in LaunchDarkly's order. */
export const APPROVAL_SETTINGS_MEMBERS = Object.keys(DEFAULT_APPROVAL_SETTINGS) as (keyof ApprovalSettings)[];
const MEMBERS = APPROVAL_SETTINGS_MEMBERS;

/** A member's attribute in an error: `approvalSettings.required`, or `required` in a body that is the settings (`where` empty). */
function attributeOf(where: string, member: string): string {
  return where === '' ? member : `${where}.${member}`;
}

/** What iterlab refuses in settings whose members are each well-formed: another approval service, or members at odds. */
function conflicts(settings: ApprovalSettings, where: string): FieldError[] {
  const errors: FieldError[] = [];
  const at = (member: string, reason: string) => errors.push({ attribute: attributeOf(where, member), reason });
  if (settings.serviceKind !== LAUNCHDARKLY) {
    at('serviceKind', `must be "${LAUNCHDARKLY}": iterlab has no ServiceNow or other approval integration`);
    return errors;
  }
  if (Object.keys(settings.serviceConfig).length > 0) at('serviceConfig', `must be empty: the "${LAUNCHDARKLY}" approval service takes no configuration`);
  if (settings.autoApplyApprovedChanges) {
    at('autoApplyApprovedChanges', `must be false: approved changes are applied automatically only by approval services other than "${LAUNCHDARKLY}"`);
  }
  if (settings.required && settings.requiredApprovalTags.length > 0) {
    at('requiredApprovalTags', `must be empty when ${attributeOf(where, 'required')} is true: approvals are required either for every flag in an environment or for flags with specific tags, not both`);
  }
  return errors;
}

/**
 * The settings a client's edited `approvalSettings` comes to, or what is wrong with it (attributes under
 * `approvalSettings`). A member that is absent or null takes its default, and so does the whole when it is absent
 * or null (and an empty `serviceKind`): Terraform sends null for an empty list or map, and removes `required` and
 * `requiredApprovalTags` to turn approvals off. `serviceKindConfigurationId` (a custom approval integration's, which iterlab has none of) may only be
 * absent or null.
 */
export function readApprovalSettings(value: unknown, where = 'approvalSettings'): { settings: ApprovalSettings } | { settings?: undefined; errors: FieldError[] } {
  const defaults: ApprovalSettings = { ...DEFAULT_APPROVAL_SETTINGS, serviceConfig: {}, requiredApprovalTags: [] };
  if (value === undefined || value === null) return { settings: defaults };
  if (typeof value !== 'object' || Array.isArray(value)) return { errors: [{ attribute: where, reason: 'must be an object' }] };
  const given = value as Record<string, unknown>;
  const errors = memberErrors(given, where);
  if (errors.length > 0) return { errors };
  // An empty serviceKind is the default service too: the Terraform provider's framework resources send
  // `serviceKind: ""` whenever a configuration leaves `service_kind` out.
  const unset = (member: string) => given[member] === undefined || given[member] === null || (member === 'serviceKind' && given[member] === '');
  const settings = Object.fromEntries(MEMBERS.map((member) => [member, unset(member) ? defaults[member] : given[member]])) as unknown as ApprovalSettings;
  const invalid = approvalSettingsErrors(settings, where);
  return invalid.length > 0 ? { errors: invalid } : { settings };
}

/**
 * What is wrong with the members an edit names (at attribute `where`; `also`: the other members its body may have):
 * one that is no approval setting, or a `serviceKindConfigurationId` (a custom approval integration's, which iterlab
 * has none of) that is not null.
 */
export function memberErrors(given: Record<string, unknown>, where: string, also: readonly string[] = []): FieldError[] {
  const errors: FieldError[] = [];
  for (const member of Object.keys(given)) {
    const attribute = attributeOf(where, member);
    if (member === 'serviceKindConfigurationId') {
      if (given[member] !== null) errors.push({ attribute, reason: 'must be absent or null: iterlab has no custom approval integration' });
    } else if (!(MEMBERS as string[]).includes(member) && !also.includes(member)) {
      errors.push({ attribute, reason: `is not an approval setting; approval settings are ${MEMBERS.join(', ')}` });
    }
  }
  return errors;
}

/**
 * What is wrong with settings that have every member, found at attribute `where` (`approvalSettings`; `''` for a
 * body that is the settings): the members' shapes first, then, when each is well-formed, what iterlab refuses of
 * them together.
 */
export function approvalSettingsErrors(settings: ApprovalSettings, where: string): FieldError[] {
  const shape = check(Members, settings, where);
  return shape.length > 0 ? shape : conflicts(settings, where);
}

/** The settings of an environment's stored row, for flags unless `kind` names another resource kind. */
export function environmentApprovalSettings(row: { doc: string }, kind: StoredApprovalKind = 'flag'): ApprovalSettings {
  return approvalSettingsFor(JSON.parse(row.doc) as SettingsDoc, kind);
}

/**
 * An edited `resourceApprovalSettings` read into what the environment keeps, or what is wrong with it: `segment` and
 * `aiconfig` (approval settings each, read as `approvalSettings` is; absent or null is the defaults). Another kind is
 * refused.
 */
export function readResourceApprovalSettings(value: unknown): { settings: Required<ResourceApprovalSettings> } | { settings?: undefined; errors: FieldError[] } {
  if (value === undefined || value === null) return readResourceApprovalSettings({});
  if (typeof value !== 'object' || Array.isArray(value)) return { errors: [{ attribute: 'resourceApprovalSettings', reason: 'must be an object (approval settings by resource kind, such as "segment")' }] };
  const kinds: readonly string[] = RESOURCE_APPROVAL_KINDS;
  const errors: FieldError[] = Object.keys(value)
    .filter((kind) => !kinds.includes(kind))
    .map((kind) => ({ attribute: `resourceApprovalSettings.${kind}`, reason: `is not a resource kind of approval settings; they are ${RESOURCE_APPROVAL_KINDS.map((k) => `"${k}"`).join(' and ')}` }));
  const settings: Partial<Record<(typeof RESOURCE_APPROVAL_KINDS)[number], ApprovalSettings>> = {};
  for (const kind of RESOURCE_APPROVAL_KINDS) {
    const read = readApprovalSettings((value as Record<string, unknown>)[kind], `resourceApprovalSettings.${kind}`);
    if (read.settings) settings[kind] = read.settings;
    else errors.push(...read.errors);
  }
  return errors.length > 0 || !settings.segment || !settings.aiconfig ? { errors } : { settings: { segment: settings.segment, aiconfig: settings.aiconfig } };
}

/** Whether a flag with these tags needs approval to change there: every flag when `required`, else flags with a required tag. */
export function requiresApproval(settings: ApprovalSettings, flagTags: readonly string[]): boolean {
  return settings.required || settings.requiredApprovalTags.some((tag) => flagTags.includes(tag));
}
