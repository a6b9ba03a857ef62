// POST /api/v2/integration-capabilities/flag-import/{projectKey}/{integrationKey} (beta) — create a flag import
// configuration (FlagImportConfigurationPost): 200 with it, as LaunchDarkly documents (not 201), version 1, `_status`
// pending. `config` is checked against the integration's form. A project has one configuration per integration: a
// second is a 409 naming the first.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findImportForm, importFrom, NEW_IMPORT_STATUS, type ImportRow } from './model.js';
import { importAudit, representImport } from './represent.js';

export interface ImportParams {
  projectKey: string;
  integrationKey: string;
}

export function createFlagImportConfiguration(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: ImportParams }>('/api/v2/integration-capabilities/flag-import/:projectKey/:integrationKey', { config: { beta: true } }, async (request) => {
    const { integrationKey } = request.params;
    const form = findImportForm(integrationKey);
    const project = await deps.catalog.project(request.params.projectKey);
    const doc = importFrom(integrationKey, form, request.body);
    const now = deps.now();
    const row: ImportRow = { id: objectId(now), project_id: project.id, integration_key: integrationKey, doc: JSON.stringify(doc), version: 1, status: JSON.stringify(NEW_IMPORT_STATUS), created_at: now, last_modified: now };
    await deps.store.tx(async (trx) => {
      // The unique constraint decides between two creations at once; this names the configuration already there.
      const existing = await trx.selectFrom('flag_import_configurations').select('id').where('project_id', '=', project.id).where('integration_key', '=', integrationKey).executeTakeFirst();
      if (existing) throw conflict(`Project "${project.key}" already has a ${integrationKey} flag import configuration (${existing.id}); a project has one per integration`);
      await trx.insertInto('flag_import_configurations').values(row).execute();
      await recordAudit(trx, request.actor, now, importAudit(row, project.key, 'createIntegration', 'created', { after: row }));
    }).catch(async (err: unknown) => {
      // Two creations at once: the second meets the constraint, and answers as the check would have.
      const raced = await deps.store.db.selectFrom('flag_import_configurations').select('id').where('project_id', '=', project.id).where('integration_key', '=', integrationKey).executeTakeFirst();
      if (raced && raced.id !== row.id) throw conflict(`Project "${project.key}" already has a ${integrationKey} flag import configuration (${raced.id}); a project has one per integration`);
      throw err;
    });
    return representImport(row, project.key);
  });
}
