// POST /api/v2/integration-capabilities/flag-import/{projectKey}/{integrationKey}/{integrationId}/trigger (beta) —
// run an import job: 201, no body. LaunchDarkly's job reads the flags of the other system (Split, Unleash) over its
// API and creates them in the project. iterlab makes no outbound network calls, so the job cannot read them: it is
// recorded, in the same transaction as its audit entry, as failed with a message that says why (`_status`: status
// `failed`, `lastError`, and the failure first in `errors`, the ten latest kept). No flag is created
// (docs/compatibility.md). A job therefore never runs long, and the 409 of one already running is never answered.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { refuseBody } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { IMPORT_ID_ROUTE, type ImportIdParams } from './getFlagImportConfiguration.js';
import { findImport, findImportForm, importStatus, type ImportRow, type ImportStatus } from './model.js';
import { importAudit } from './represent.js';

const KEPT_ERRORS = 10;

const SOURCES: Record<string, string> = { split: 'Split', unleash: 'Unleash' };

export function triggerFlagImportJob(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: ImportIdParams }>(`${IMPORT_ID_ROUTE}/trigger`, { config: { beta: true, noBody: true } }, async (request, reply) => {
    refuseBody(request.body);
    const { integrationKey, integrationId } = request.params;
    findImportForm(integrationKey);
    const project = await deps.catalog.project(request.params.projectKey);
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findImport(trx, project.id, integrationKey, integrationId, deps.store);
      const message = `The import from ${SOURCES[integrationKey] ?? integrationKey} was not run: iterlab makes no outbound network calls, so it cannot read the flags to import`;
      const previous = importStatus(row);
      const status: ImportStatus = {
        status: 'failed',
        ...(previous.lastImport !== undefined ? { lastImport: previous.lastImport } : {}),
        lastError: now,
        errors: [{ integrationId: row.id, message, timestamp: now }, ...previous.errors].slice(0, KEPT_ERRORS),
      };
      const next: ImportRow = { ...row, status: JSON.stringify(status) };
      await trx.updateTable('flag_import_configurations').set({ status: next.status }).where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, importAudit(next, project.key, 'updateConfiguration', 'triggered an import job of', { after: next }));
    });
    return reply.code(201).send();
  });
}
