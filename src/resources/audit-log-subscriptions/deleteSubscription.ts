// DELETE /api/v2/integrations/{integrationKey}/{id} — delete an audit log subscription: 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findIntegration, findSubscription } from './model.js';
import { subscriptionAudit } from './represent.js';

export function deleteSubscription(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { integrationKey: string; id: string } }>('/api/v2/integrations/:integrationKey/:id', async (request, reply) => {
    const { integrationKey, id } = request.params;
    const form = findIntegration(integrationKey);
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findSubscription(trx, integrationKey, id, deps.store);
      await trx.deleteFrom('audit_log_subscriptions').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, subscriptionAudit(row, form, 'deleteIntegration', 'deleted', { before: row }));
    });
    return reply.code(204).send();
  });
}
