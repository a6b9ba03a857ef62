// DELETE /api/v2/integration-capabilities/flag-import/{projectKey}/{integrationKey}/{integrationId} (beta) — delete
// a flag import configuration: 204. Flags it imported stay (none are, in iterlab: docs/compatibility.md).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { IMPORT_ID_ROUTE, type ImportIdParams } from './getFlagImportConfiguration.js';
import { findImport, findImportForm } from './model.js';
import { importAudit } from './represent.js';

export function deleteFlagImportConfiguration(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: ImportIdParams }>(IMPORT_ID_ROUTE, { config: { beta: true } }, async (request, reply) => {
    const { integrationKey, integrationId } = request.params;
    findImportForm(integrationKey);
    const project = await deps.catalog.project(request.params.projectKey);
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findImport(trx, project.id, integrationKey, integrationId, deps.store);
      await trx.deleteFrom('flag_import_configurations').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, importAudit(row, project.key, 'deleteIntegration', 'deleted', { before: row }));
    });
    return reply.code(204).send();
  });
}
