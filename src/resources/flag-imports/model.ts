// Flag import configurations as stored: one row per configuration, in its project (one per integration key); the
// systems flags are imported from (the flagImport capability's, integrations/manifests.ts); lookups that answer 404
// naming what is missing; the fields a change may touch; and what the import jobs recorded.
import { Type } from '@sinclair/typebox';
import { ApiError, notFound, validationFailed } from '../../http/errors.js';
import { Name, Tags } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { FlagImportConfigurationsTable } from '../../store/schema.js';
import { SUBSCRIPTION_FIELD_ACTIONS } from '../audit-log-subscriptions/model.js';
import { readConfig } from '../integrations/config.js';
import { FLAG_IMPORT_FORMS, formOf, type IntegrationForm } from '../integrations/manifests.js';

export type ImportRow = FlagImportConfigurationsTable;

export interface ImportDoc {
  name: string;
  /** The integration's fields, secrets included (never shown: represent.ts masks them). */
  config: Record<string, unknown>;
  tags: string[];
}

/** A failed import, as FlagImportStatus lists it (StatusResponse). */
export interface ImportError {
  integrationId: string;
  message: string;
  timestamp: number;
}

/** What the import jobs last did (FlagImportStatus). */
export interface ImportStatus {
  status: 'complete' | 'importing' | 'pending' | 'failed' | 'partial';
  lastImport?: number;
  lastError?: number;
  /** The latest failures, newest first. */
  errors: ImportError[];
}

/** A configuration no job has run for yet. */
export const NEW_IMPORT_STATUS: ImportStatus = { status: 'pending', errors: [] };

/** The audit (and custom-role) action for a change of each member: an audit log subscription's. */
export const IMPORT_FIELD_ACTIONS = {
  name: SUBSCRIPTION_FIELD_ACTIONS.name,
  tags: SUBSCRIPTION_FIELD_ACTIONS.tags,
  config: SUBSCRIPTION_FIELD_ACTIONS.config,
} as const;
export type ImportField = keyof typeof IMPORT_FIELD_ACTIONS;
export const WRITABLE_IMPORT_FIELDS = Object.keys(IMPORT_FIELD_ACTIONS) as ImportField[];
export const READ_ONLY_IMPORT_FIELDS = ['_links', '_id', 'integrationKey', 'projectKey', 'version', '_access', '_status'];

// FlagImportConfigurationPost: only config is required.
const ImportFields = Type.Object({
  name: Type.Optional(Name),
  config: Type.Unknown(),
  tags: Type.Optional(Tags),
});

export function importDoc(row: Pick<ImportRow, 'doc'>): ImportDoc {
  return JSON.parse(row.doc) as ImportDoc;
}

export function importStatus(row: Pick<ImportRow, 'status'>): ImportStatus {
  return JSON.parse(row.status) as ImportStatus;
}

/** The form of `split` or `unleash`; a 404 naming the key and those that are otherwise. */
export function findImportForm(integrationKey: string): IntegrationForm {
  const form = formOf(FLAG_IMPORT_FORMS, integrationKey);
  if (!form) throw new ApiError(404, 'not_found', `Integration "${integrationKey}" not found; flags are imported from ${Object.keys(FLAG_IMPORT_FORMS).join(' and ')}`);
  return form;
}

/** The project's configuration of the integration by id (404 naming it); locked until commit on PostgreSQL when `lock` names the store. */
export async function findImport(db: Db | Trx, projectId: string, integrationKey: string, id: string, lock?: Pick<Store, 'kind'>): Promise<ImportRow> {
  let query = db.selectFrom('flag_import_configurations').selectAll().where('id', '=', id).where('project_id', '=', projectId).where('integration_key', '=', integrationKey);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`Flag import configuration "${id}" of the ${integrationKey} integration`);
  return row;
}

/** A configuration's doc from the fields given (the POST body, or a patched configuration's members), or a 400 naming every problem. */
export function importFrom(integrationKey: string, form: IntegrationForm, input: unknown): ImportDoc {
  const errors = check(ImportFields, input);
  if (errors.length > 0) throw validationFailed(errors);
  const fields = input as { name?: string; config: unknown; tags?: string[] };
  const config = readConfig(integrationKey, form, fields.config);
  return { name: fields.name ?? `${integrationKey} flag import`, config, tags: [...new Set(fields.tags ?? [])] };
}
