// Persistent store integrations as stored: one row per integration, in its environment; lookups that answer 404 naming
// what is missing; the fields a change may touch; and the sync's status as the sync records it.
import { Type } from '@sinclair/typebox';
import { ApiError, notFound, validationFailed } from '../../http/errors.js';
import { Name, Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { BigSegmentStoresTable } from '../../store/schema.js';
import { readConfig } from '../integrations/config.js';
import type { IntegrationForm } from '../integrations/manifests.js';
import { SUBSCRIPTION_FIELD_ACTIONS } from '../audit-log-subscriptions/model.js';
import { BIG_SEGMENT_STORE_FORMS as STORE_FORMS } from '../integrations/manifests.js';

export type StoreIntegrationRow = BigSegmentStoresTable;

export interface StoreIntegrationDoc {
  name: string;
  /** The store's fields, secrets included (never shown: represent.ts masks them). */
  config: Record<string, unknown>;
  on: boolean;
  tags: string[];
}

/** A sync failure, as BigSegmentStoreStatus lists it. */
export interface StoreIntegrationError {
  statusCode?: number;
  message: string;
  timestamp: number;
}

/** What the sync last did (BigSegmentStoreStatus, less what is derived from it when shown). */
export interface StoreSyncStatus {
  lastSync?: number;
  lastError?: number;
  /** The latest failures, newest first. */
  errors: StoreIntegrationError[];
}

/** The audit (and custom-role) action for a change of each member: those of audit log subscriptions, less statements. */
export const STORE_FIELD_ACTIONS = {
  name: SUBSCRIPTION_FIELD_ACTIONS.name,
  on: SUBSCRIPTION_FIELD_ACTIONS.on,
  tags: SUBSCRIPTION_FIELD_ACTIONS.tags,
  config: SUBSCRIPTION_FIELD_ACTIONS.config,
} as const;
export type StoreField = keyof typeof STORE_FIELD_ACTIONS;
export const WRITABLE_STORE_FIELDS = Object.keys(STORE_FIELD_ACTIONS) as StoreField[];
export const READ_ONLY_STORE_FIELDS = ['_links', '_id', 'integrationKey', 'projectKey', 'environmentKey', 'version', '_access', '_status'];

const StoreFields = Type.Object({
  // LaunchDarkly's IntegrationDeliveryConfigurationPost requires only config; a store left unnamed is named for it.
  name: Type.Optional(Name),
  config: Type.Unknown(),
  on: Type.Optional(Type.Boolean()),
  tags: Type.Optional(Tags),
});

export function storeDoc(row: Pick<StoreIntegrationRow, 'doc'>): StoreIntegrationDoc {
  return JSON.parse(row.doc) as StoreIntegrationDoc;
}

export function storeStatus(row: Pick<StoreIntegrationRow, 'status'>): StoreSyncStatus {
  return JSON.parse(row.status) as StoreSyncStatus;
}

/** The store holds what the last sync wrote: one succeeded, and none failed after it. */
export function syncedSinceLastError(status: StoreSyncStatus): boolean {
  return status.lastSync !== undefined && (status.lastError === undefined || status.lastSync >= status.lastError);
}

/** The form of `redis` or `dynamodb`; a 404 naming the key otherwise. */
export function findStoreForm(integrationKey: string): IntegrationForm {
  if (!Object.hasOwn(STORE_FORMS, integrationKey)) {
    throw new ApiError(404, 'not_found', `Integration "${integrationKey}" not found; big segment stores are ${Object.keys(STORE_FORMS).join(' and ')}`);
  }
  return STORE_FORMS[integrationKey];
}

/** The environment's integration of the key by id (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findStoreIntegration(db: Db | Trx, environmentId: string, integrationKey: string, id: string, lock?: Pick<Store, 'kind'>): Promise<StoreIntegrationRow> {
  let query = db.selectFrom('big_segment_stores').selectAll().where('id', '=', id).where('environment_id', '=', environmentId).where('integration_key', '=', integrationKey);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Big segment store integration "${id}" of the ${integrationKey} integration`);
  return row;
}

/** A Redis port: digits naming a TCP port. */
function checkPort(config: Record<string, unknown>): void {
  const port = config.port;
  if (typeof port !== 'string') return;
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) throw validationFailed([{ attribute: 'config.port', reason: `must be a TCP port number from 1 to 65535; got "${port}"` }]);
}

/** An integration's doc from the fields given (the POST body, or a patched integration's members), or a 400 naming every problem. */
export function storeIntegrationFrom(integrationKey: string, form: IntegrationForm, input: unknown): StoreIntegrationDoc {
  const errors = check(StoreFields, input);
  if (errors.length > 0) throw validationFailed(errors);
  const fields = input as { name?: string; config: unknown; on?: boolean; tags?: string[] };
  const config = readConfig(integrationKey, form, fields.config);
  checkPort(config);
  return { name: fields.name ?? `${integrationKey} big segment store`, config, on: fields.on ?? false, tags: [...new Set(fields.tags ?? [])] };
}
