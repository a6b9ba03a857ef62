// Audit log subscriptions as stored: one row per subscription, its integration in a column (the lists are read by
// it) and the rest in a doc; lookups that answer 404 naming what is missing; and the fields a change may touch.
import { Type } from '@sinclair/typebox';
import { ApiError, notFound, validationFailed } from '../../http/errors.js';
import { isObject } from '../../http/patch/resourcePatch.js';
import { Name, Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { AuditLogSubscriptionsTable } from '../../store/schema.js';
import { readStatements } from '../audit-log/statements.js';
import type { Statement } from '../custom-roles/policy.js';
import { readConfig } from '../integrations/config.js';
import { AUDIT_LOG_HOOK_FORMS, integrationForm, type IntegrationForm } from '../integrations/manifests.js';

export type SubscriptionRow = AuditLogSubscriptionsTable;

export interface SubscriptionDoc {
  name: string;
  /** The integration's fields, secrets included (never shown: represent.ts masks them). */
  config: Record<string, unknown>;
  /** None: every audit entry, as a webhook's. */
  statements: Statement[];
  on: boolean;
  tags: string[];
}

/** The audit (and custom-role) action for a change of each member, a change being named by the first it makes. */
export const SUBSCRIPTION_FIELD_ACTIONS = {
  name: 'updateName',
  on: 'updateOn',
  tags: 'updateTags',
  config: 'updateConfiguration',
  statements: 'updateConfiguration',
} as const;
export type SubscriptionField = keyof typeof SUBSCRIPTION_FIELD_ACTIONS;
export const WRITABLE_SUBSCRIPTION_FIELDS = Object.keys(SUBSCRIPTION_FIELD_ACTIONS) as SubscriptionField[];
export const READ_ONLY_SUBSCRIPTION_FIELDS = ['_links', '_id', 'kind', '_status'];

/** The members a subscription's fields are read from: subscriptionPost's, or a patched subscription's. */
const SubscriptionFields = Type.Object({
  name: Name,
  config: Type.Unknown(),
  statements: Type.Optional(Type.Unknown()),
  on: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Tags),
  // subscriptionPost's legacy members: the Slack webhook's URL and the Datadog API key, outside `config`.
  url: Type.Optional(Type.String()),
  apiKey: Type.Optional(Type.String()),
});

/** The resource custom roles and audit entries name: `integration/<integrationKey>/<id>` (`integration/*` for all). */
export function subscriptionResource(integrationKey: string, id: string): string {
  return `integration/${integrationKey}/${id}`;
}

export function subscriptionDoc(row: Pick<SubscriptionRow, 'doc'>): SubscriptionDoc {
  return JSON.parse(row.doc) as SubscriptionDoc;
}

/** The form of an integration that takes audit log subscriptions; a 404 naming the key and those that do otherwise. */
export function findIntegration(integrationKey: string): IntegrationForm {
  const form = integrationForm(integrationKey);
  if (!form) {
    throw new ApiError(404, 'not_found', `Integration "${integrationKey}" not found; audit log subscriptions are made for ${Object.keys(AUDIT_LOG_HOOK_FORMS).join(', ')}`);
  }
  return form;
}

/** A subscription of the integration by id (404 naming both); locked until commit on PostgreSQL when `lock` names the store. */
export async function findSubscription(db: Db | Trx, integrationKey: string, id: string, lock?: Pick<Store, 'kind'>): Promise<SubscriptionRow> {
  let query = db.selectFrom('audit_log_subscriptions').selectAll().where('id', '=', id).where('integration_key', '=', integrationKey);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Audit log subscription "${id}" of the ${integrationKey} integration`);
  return row;
}

/**
 * A subscription's doc from the fields given (createSubscription's body, or a patched subscription's members), or a
 * 400 naming every problem. `previous` is an update's stored config (generated fields are kept from it); `on` is
 * false when not given.
 */
export function subscriptionFrom(integrationKey: string, form: IntegrationForm, input: unknown, previous?: Record<string, unknown>): SubscriptionDoc {
  const errors = check(SubscriptionFields, input);
  if (errors.length > 0) throw validationFailed(errors);
  const fields = input as { name: string; config: unknown; statements?: unknown; on?: boolean; tags?: string[]; url?: string; apiKey?: string };
  const config = readConfig(integrationKey, form, withLegacyFields(integrationKey, form, fields), previous);
  const statements = fields.statements === null ? [] : readStatements(fields.statements, false, 'statements');
  return { name: fields.name, config, statements, on: fields.on ?? false, tags: [...new Set(fields.tags ?? [])] };
}

/** `config` with the legacy top-level `url` / `apiKey` moved into it, when the integration has such a field and config does not set it. */
function withLegacyFields(integrationKey: string, form: IntegrationForm, fields: { config: unknown; url?: string; apiKey?: string }): unknown {
  const legacy = Object.entries({ url: fields.url, apiKey: fields.apiKey }).filter(([, value]) => value !== undefined);
  if (legacy.length === 0) return fields.config;
  const unknown = legacy.find(([key]) => !Object.hasOwn(form, key));
  if (unknown) throw validationFailed([{ attribute: unknown[0], reason: `is not a field of the ${integrationKey} integration; give its fields in config` }]);
  return isObject(fields.config) ? { ...Object.fromEntries(legacy), ...fields.config } : fields.config;
}
