// DELETE /api/v2/applications/{applicationKey}/versions/{versionKey} (beta) — delete one version of an application
// (writer): 204. An SDK naming it again adds it again, as new (every instance forgets it).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findApplicationVersion } from './model.js';
import { applicationVersionAudit, representApplicationVersion } from './represent.js';

export function deleteApplicationVersion(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { applicationKey: string; versionKey: string } }>('/api/v2/applications/:applicationKey/versions/:versionKey', { config: { beta: true } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findApplicationVersion(trx, request.params.applicationKey, request.params.versionKey, deps.store);
      await trx.deleteFrom('application_versions').where('application_key', '=', row.application_key).where('key', '=', row.key).execute();
      await recordAudit(trx, request.actor, now, applicationVersionAudit(row, 'deleteApplicationVersion', 'deleted', { before: representApplicationVersion(row) }));
    });
    deps.changed({ kind: 'application', id: request.params.applicationKey });
    return reply.code(204).send();
  });
}
