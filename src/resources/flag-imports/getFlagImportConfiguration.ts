// GET /api/v2/integration-capabilities/flag-import/{projectKey}/{integrationKey}/{integrationId} (beta) — one flag
// import configuration, secrets masked, with what its import jobs last did.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { ImportParams } from './createFlagImportConfiguration.js';
import { findImport, findImportForm } from './model.js';
import { representImport } from './represent.js';

export type ImportIdParams = ImportParams & { integrationId: string };

export const IMPORT_ID_ROUTE = '/api/v2/integration-capabilities/flag-import/:projectKey/:integrationKey/:integrationId';

export function getFlagImportConfiguration(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ImportIdParams }>(IMPORT_ID_ROUTE, { config: { beta: true } }, async (request) => {
    const { integrationKey, integrationId } = request.params;
    findImportForm(integrationKey);
    const project = await deps.catalog.project(request.params.projectKey);
    return representImport(await findImport(deps.store.db, project.id, integrationKey, integrationId), project.key);
  });
}
