// Integration configurations as stored: account-wide, one row per configuration, its integration and name in columns
// (lists are read by integration; a name is unique within it) and the rest in a doc; the forms and capabilities each
// integration key takes (from integrations/manifests.ts); lookups that answer 404; and custom-role checks for the
// routes that name a configuration by id alone.
import { Type } from '@sinclair/typebox';
import type { Actor } from '../../http/context.js';
import { ApiError, forbidden, notFound, validationFailed, type FieldError } from '../../http/errors.js';
import { isObject } from '../../http/patch/resourcePatch.js';
import { Name, Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { IntegrationConfigurationsTable } from '../../store/schema.js';
import { readStatements } from '../audit-log/statements.js';
import { SUBSCRIPTION_FIELD_ACTIONS } from '../audit-log-subscriptions/model.js';
import { refuseUnlessAllowed } from '../custom-roles/access.js';
import { decide, type Policy, type ResourcePath, type Statement } from '../custom-roles/policy.js';
import { readConfig } from '../integrations/config.js';
import { APPROVAL_FORMS, AUDIT_LOG_HOOK_FORMS, formOf, type IntegrationForm } from '../integrations/manifests.js';

export type ConfigurationRow = IntegrationConfigurationsTable;

/** A form variable an approval integration adds to its approval requests (ApprovalsCapabilityConfig). */
export interface AdditionalFormVariable {
  key: string;
  name: string;
  type: string;
  description?: string;
  placeholder?: string;
  isOptional?: boolean;
  defaultValue?: unknown;
  allowedValues?: string[];
}

export interface CapabilityConfig {
  approvals?: { additionalFormVariables: AdditionalFormVariable[] };
  auditLogEventsHook?: { statements: Statement[] };
}

export interface ConfigurationDoc {
  name: string;
  /** The integration's fields, secrets included (never shown: represent.ts masks them). */
  configValues: Record<string, unknown>;
  enabled: boolean;
  tags: string[];
  capabilityConfig?: CapabilityConfig;
  /** The member who maintains it (2026-07's `_maintainerId`, "defaults to the member who created it"): its creator. */
  maintainerId?: string;
}

/** An integration that takes configurations: its form, and the capabilities `capabilityConfig` may configure. */
export interface ConfigurableIntegration {
  form: IntegrationForm;
  capabilities: ('auditLogEventsHook' | 'approvals')[];
}

/**
 * The integrations that take configurations: those with the auditLogEventsHook capability (the legacy Slack webhook
 * aside, which has no manifest) and the approval services; a 404 naming the key and those that do otherwise.
 */
export function findConfigurableIntegration(integrationKey: string): ConfigurableIntegration {
  const hook = integrationKey !== 'slack' ? formOf(AUDIT_LOG_HOOK_FORMS, integrationKey) : undefined;
  if (hook) return { form: hook, capabilities: ['auditLogEventsHook'] };
  const approval = formOf(APPROVAL_FORMS, integrationKey);
  if (approval) return { form: approval, capabilities: ['approvals'] };
  const keys = [...Object.keys(AUDIT_LOG_HOOK_FORMS).filter((key) => key !== 'slack'), ...Object.keys(APPROVAL_FORMS)].sort();
  throw new ApiError(404, 'not_found', `Integration "${integrationKey}" not found; integration configurations are made for ${keys.join(', ')}`);
}

/** The audit (and custom-role) action for a change of each member, as an audit log subscription's. */
export const CONFIGURATION_FIELD_ACTIONS = {
  name: SUBSCRIPTION_FIELD_ACTIONS.name,
  enabled: SUBSCRIPTION_FIELD_ACTIONS.on,
  tags: SUBSCRIPTION_FIELD_ACTIONS.tags,
  configValues: SUBSCRIPTION_FIELD_ACTIONS.config,
  capabilityConfig: SUBSCRIPTION_FIELD_ACTIONS.config,
} as const;
export type ConfigurationField = keyof typeof CONFIGURATION_FIELD_ACTIONS;
export const WRITABLE_CONFIGURATION_FIELDS = Object.keys(CONFIGURATION_FIELD_ACTIONS) as ConfigurationField[];
export const READ_ONLY_CONFIGURATION_FIELDS = ['_links', '_id', '_createdAt', '_integrationKey', '_access', '_maintainerId'];

const ConfigurationFields = Type.Object(
  {
    name: Name,
    configValues: Type.Unknown(),
    enabled: Type.Optional(Type.Boolean()),
    tags: Type.Optional(Tags),
    capabilityConfig: Type.Optional(Type.Unknown()),
  },
);

const FormVariableShape = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 256 }),
    name: Type.String({ minLength: 1, maxLength: 1024 }),
    type: Type.Union([Type.Literal('string'), Type.Literal('boolean'), Type.Literal('uri'), Type.Literal('enum'), Type.Literal('dynamicEnum')]),
    description: Type.Optional(Type.String({ maxLength: 8192 })),
    placeholder: Type.Optional(Type.String({ maxLength: 1024 })),
    isOptional: Type.Optional(Type.Boolean()),
    defaultValue: Type.Optional(Type.Unknown()),
    allowedValues: Type.Optional(Type.Array(Type.String(), { maxItems: 1000 })),
  },
  { additionalProperties: false },
);

export function configurationDoc(row: Pick<ConfigurationRow, 'doc'>): ConfigurationDoc {
  return JSON.parse(row.doc) as ConfigurationDoc;
}


function readFormVariables(value: unknown, attribute: string): AdditionalFormVariable[] {
  if (!Array.isArray(value)) throw validationFailed([{ attribute, reason: 'must be an array of form variables ({key, name, type, ...})' }]);
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  value.forEach((item, i) => {
    const at = `${attribute}[${i}]`;
    const problems = check(FormVariableShape, item, at);
    errors.push(...problems);
    if (problems.length > 0) return;
    const variable = item as AdditionalFormVariable;
    if (seen.has(variable.key)) errors.push({ attribute: `${at}.key`, reason: `repeats "${variable.key}"; each form variable has its own key` });
    seen.add(variable.key);
    if (variable.type === 'enum' && (variable.allowedValues ?? []).length === 0) errors.push({ attribute: `${at}.allowedValues`, reason: 'must list the values an enum allows' });
  });
  if (errors.length > 0) throw validationFailed(errors);
  return value as AdditionalFormVariable[];
}

/** `capabilityConfig` as stored: only the capabilities the integration has, each checked. */
function readCapabilityConfig(integrationKey: string, integration: ConfigurableIntegration, value: unknown): CapabilityConfig | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw validationFailed([{ attribute: 'capabilityConfig', reason: 'must be an object ({auditLogEventsHook: {statements}} or {approvals: {additionalFormVariables}})' }]);
  const out: CapabilityConfig = {};
  for (const [capability, config] of Object.entries(value)) {
    const attribute = `capabilityConfig.${capability}`;
    if (capability !== 'auditLogEventsHook' && capability !== 'approvals') throw validationFailed([{ attribute, reason: 'is not a capability; capabilities are auditLogEventsHook and approvals' }]);
    if (!integration.capabilities.includes(capability)) throw validationFailed([{ attribute, reason: `is not a capability of the ${integrationKey} integration; it has ${integration.capabilities.join(', ')}` }]);
    if (config === null || config === undefined) continue;
    if (!isObject(config)) throw validationFailed([{ attribute, reason: 'must be an object' }]);
    const unknown = Object.keys(config).find((key) => key !== (capability === 'approvals' ? 'additionalFormVariables' : 'statements'));
    if (unknown !== undefined) throw validationFailed([{ attribute: `${attribute}.${unknown}`, reason: `is not a field of ${capability}` }]);
    if (capability === 'approvals') out.approvals = { additionalFormVariables: config.additionalFormVariables === undefined ? [] : readFormVariables(config.additionalFormVariables, `${attribute}.additionalFormVariables`) };
    else out.auditLogEventsHook = { statements: config.statements === undefined || config.statements === null ? [] : readStatements(config.statements, false, `${attribute}.statements`) };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** The most UTF-8 bytes of a configuration's name: 1,024 ASCII characters (the schema's bound), fewer of others. */
export const NAME_MAX_BYTES = 1024;

/**
 * A configuration's doc from the fields given (IntegrationConfigurationPost, or a patched configuration's members),
 * or a 400 naming every problem; `enabled` is false when not given.
 */
export function configurationFrom(integrationKey: string, integration: ConfigurableIntegration, input: unknown): ConfigurationDoc {
  const errors = check(ConfigurationFields, input);
  if (errors.length > 0) throw validationFailed(errors);
  const fields = input as { name: string; configValues: unknown; enabled?: boolean; tags?: string[]; capabilityConfig?: unknown };
  // The name is unique within its integration: an index row, which PostgreSQL bounds at 2704 bytes.
  const nameBytes = Buffer.byteLength(fields.name);
  if (nameBytes > NAME_MAX_BYTES) throw validationFailed([{ attribute: 'name', reason: `must be at most ${NAME_MAX_BYTES} bytes of UTF-8, not ${nameBytes}` }]);
  const configValues = readConfig(integrationKey, integration.form, fields.configValues, {}, 'configValues');
  const capabilityConfig = readCapabilityConfig(integrationKey, integration, fields.capabilityConfig);
  return { name: fields.name, configValues, enabled: fields.enabled ?? false, tags: [...new Set(fields.tags ?? [])], ...(capabilityConfig ? { capabilityConfig } : {}) };
}

/** A configuration by id (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findConfiguration(db: Db | Trx, id: string, lock?: Pick<Store, 'kind'>): Promise<ConfigurationRow> {
  let query = db.selectFrom('integration_configurations').selectAll().where('id', '=', id);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Integration configuration "${id}"`);
  return row;
}

function integrationResource(integrationKey: string, id: string): ResourcePath {
  return [{ type: 'integration', key: `${integrationKey}/${id}` }];
}

/**
 * Configuration `id`, once the caller's custom roles allow each of `actions` on it (routes that name a configuration
 * by id alone learn its integration here). To a custom-role token that may not take the actions on every
 * integration, an unknown id is the same 403 as a configuration it may not reach: it learns nothing of the others.
 */
export async function authorizedConfiguration(db: Db | Trx, actor: Actor | undefined, id: string, actions: readonly string[], lock?: Pick<Store, 'kind'>): Promise<ConfigurationRow> {
  const policy = actor?.policy;
  let row: ConfigurationRow;
  try {
    row = await findConfiguration(db, id, lock);
  } catch (err) {
    if (policy && err instanceof ApiError && err.statusCode === 404 && !reachesEvery(policy, actions)) {
      throw forbidden(`Forbidden. The token's custom roles do not allow ${actions.join(', ')} on integration configuration "${id}", or there is no such configuration`);
    }
    throw err;
  }
  if (policy) for (const action of new Set(actions)) refuseUnlessAllowed(policy, [{ resource: integrationResource(row.integration_key, row.id), action }]);
  return row;
}

function reachesEvery(policy: Policy, actions: readonly string[]): boolean {
  return actions.every((action) => decide(policy, { resource: integrationResource('*', '*'), action }) === 'allow');
}
