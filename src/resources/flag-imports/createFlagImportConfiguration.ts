// POST /api/v2/integration-capabilities/flag-import/{projectKey}/{integrationKey} (beta) — create a flag import
// configuration (FlagImportConfigurationPost): 200 with it, as LaunchDarkly documents (not 201), version 1, `_status`
// pending. `config` is checked against the integration's form. A project has one configuration per integration: a
// second is a 409 naming the first.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError, conflict } from '../../http/errors.js';
import type { Db, Trx } from '../../store/db.js';
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
    const taken = (id: string) => conflict(`Project "${project.key}" already has a ${integrationKey} flag import configuration (${id}); a project has one per integration`);
    const existingId = (db: Db | Trx) => db.selectFrom('flag_import_configurations').select('id').where('project_id', '=', project.id).where('integration_key', '=', integrationKey).executeTakeFirst();
    await deps.store
      .tx(async (trx) => {
        const existing = await existingId(trx);
        if (existing) throw taken(existing.id);
        await trx.insertInto('flag_import_configurations').values(row).execute();
        await recordAudit(trx, request.actor, now, importAudit(row, project.key, 'createIntegration', 'created', { after: row }));
      })
      .catch(async (err: unknown) => {
        if (err instanceof ApiError) throw err;
        // Two creations at once: the second meets the unique constraint, and answers as the check would have.
        const raced = await existingId(deps.store.db);
        throw raced ? taken(raced.id) : err;
      });
    return representImport(row, project.key);
  });
}
