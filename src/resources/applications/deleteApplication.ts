// DELETE /api/v2/applications/{applicationKey} (beta) — delete an application with its versions and the flags it was
// seen evaluating (writer): 204. An SDK naming it again adds it again, as new (every instance forgets it).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findApplication } from './model.js';
import { applicationAudit, representApplication } from './represent.js';

export function deleteApplication(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { applicationKey: string } }>('/api/v2/applications/:applicationKey', { config: { beta: true } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findApplication(trx, request.params.applicationKey, deps.store);
      await trx.deleteFrom('application_flags').where('application_key', '=', row.key).execute();
      await trx.deleteFrom('applications').where('key', '=', row.key).execute();
      await recordAudit(trx, request.actor, now, applicationAudit(row, 'deleteApplication', 'deleted', { before: representApplication(row) }));
    });
    deps.changed({ kind: 'application', id: request.params.applicationKey });
    return reply.code(204).send();
  });
}
