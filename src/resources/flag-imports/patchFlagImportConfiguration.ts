// PATCH /api/v2/integration-capabilities/flag-import/{projectKey}/{integrationKey}/{integrationId} (beta) — a JSON
// Patch (bare, or `{comment, patch}`) on a configuration's name, config and tags (what LaunchDarkly documents as
// patchable): 200 with it, its version one more. The patch applies to the configuration as shown, secrets masked.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readPatchBody } from '../../http/patch/resourcePatch.js';
import { recordAudit } from '../audit-log/record.js';
import { maskedOperations } from '../integrations/config.js';
import { firstChange, patchShown } from '../integrations/patch.js';
import { IMPORT_ID_ROUTE, type ImportIdParams } from './getFlagImportConfiguration.js';
import { findImport, findImportForm, IMPORT_FIELD_ACTIONS, importDoc, importFrom, READ_ONLY_IMPORT_FIELDS, WRITABLE_IMPORT_FIELDS, type ImportRow } from './model.js';
import { importAudit, representImport } from './represent.js';

const RULES = { writable: WRITABLE_IMPORT_FIELDS, readOnly: READ_ONLY_IMPORT_FIELDS };

export function patchFlagImportConfiguration(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: ImportIdParams }>(IMPORT_ID_ROUTE, { config: { beta: true } }, async (request) => {
    const { integrationKey, integrationId } = request.params;
    const form = findImportForm(integrationKey);
    const project = await deps.catalog.project(request.params.projectKey);
    const { ops, comment } = readPatchBody(request.body);
    const now = deps.now();
    const row = await deps.store.tx(async (trx) => {
      const row = await findImport(trx, project.id, integrationKey, integrationId, deps.store);
      const stored = importDoc(row);
      const doc = importFrom(integrationKey, form, patchShown(representImport(row, project.key), ops, RULES, form, stored.config));
      const changed = firstChange(WRITABLE_IMPORT_FIELDS, doc, stored);
      if (!changed) return row;
      const next: ImportRow = { ...row, doc: JSON.stringify(doc), version: row.version + 1, last_modified: now };
      await trx.updateTable('flag_import_configurations').set({ doc: next.doc, version: next.version, last_modified: now }).where('id', '=', row.id).execute();
      // Secrets stay out of the audit log, which every token may read.
      const extra = { ...(comment !== undefined ? { comment } : {}), delta: maskedOperations(form, ops) };
      await recordAudit(trx, request.actor, now, importAudit(next, project.key, IMPORT_FIELD_ACTIONS[changed], 'updated', { before: row, after: next }, extra));
      return next;
    });
    return representImport(row, project.key);
  });
}
