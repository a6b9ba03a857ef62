// Delivery configurations as stored: one row per configuration, in its environment; the integrations that take them
// (the featureStore capability's, integrations/manifests.ts); lookups that answer 404 naming what is missing; and the
// fields a change may touch.
import { Type } from '@sinclair/typebox';
import { ApiError, notFound, validationFailed } from '../../http/errors.js';
import { Name, Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { DeliveryConfigurationsTable } from '../../store/schema.js';
import { STORE_FIELD_ACTIONS } from '../big-segment-stores/model.js';
import { readConfig } from '../integrations/config.js';
import { FEATURE_STORE_FORMS, formOf, type IntegrationForm } from '../integrations/manifests.js';

export type DeliveryRow = DeliveryConfigurationsTable;

export interface DeliveryDoc {
  name: string;
  /** The integration's fields, secrets included (never shown: represent.ts masks them). */
  config: Record<string, unknown>;
  on: boolean;
  tags: string[];
}

/** The audit (and custom-role) action for a change of each member: a persistent store integration's. */
export const DELIVERY_FIELD_ACTIONS = STORE_FIELD_ACTIONS;
export type DeliveryField = keyof typeof DELIVERY_FIELD_ACTIONS;
export const WRITABLE_DELIVERY_FIELDS = Object.keys(DELIVERY_FIELD_ACTIONS) as DeliveryField[];
export const READ_ONLY_DELIVERY_FIELDS = ['_links', '_id', 'integrationKey', 'projectKey', 'environmentKey', 'version', '_access'];

// IntegrationDeliveryConfigurationPost: only config is required.
const DeliveryFields = Type.Object({
  name: Type.Optional(Name),
  config: Type.Unknown(),
  on: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Tags),
});

export function deliveryDoc(row: Pick<DeliveryRow, 'doc'>): DeliveryDoc {
  return JSON.parse(row.doc) as DeliveryDoc;
}

/** The form of a feature store integration; a 404 naming the key and those that are otherwise. */
export function findDeliveryForm(integrationKey: string): IntegrationForm {
  const form = formOf(FEATURE_STORE_FORMS, integrationKey);
  if (!form) throw new ApiError(404, 'not_found', `Integration "${integrationKey}" not found; delivery configurations are made for ${Object.keys(FEATURE_STORE_FORMS).join(', ')}`);
  return form;
}

/** The environment's configuration of the integration by id (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findDelivery(db: Db | Trx, environmentId: string, integrationKey: string, id: string, lock?: Pick<Store, 'kind'>): Promise<DeliveryRow> {
  let query = db.selectFrom('delivery_configurations').selectAll().where('id', '=', id).where('environment_id', '=', environmentId).where('integration_key', '=', integrationKey);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Delivery configuration "${id}" of the ${integrationKey} integration`);
  return row;
}

/** A configuration's doc from the fields given (the POST body, or a patched configuration's members), or a 400 naming every problem. */
export function deliveryFrom(integrationKey: string, form: IntegrationForm, input: unknown): DeliveryDoc {
  const errors = check(DeliveryFields, input);
  if (errors.length > 0) throw validationFailed(errors);
  const fields = input as { name?: string; config: unknown; on?: boolean; tags?: string[] };
  const config = readConfig(integrationKey, form, fields.config);
  return { name: fields.name ?? `${integrationKey} delivery configuration`, config, on: fields.on ?? false, tags: [...new Set(fields.tags ?? [])] };
}
