// DELETE /api/v2/webhooks/{id} — delete a webhook (admin): 204. Deliveries to it still waiting to be tried again go
// with it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findWebhook } from './model.js';
import { webhookAudit } from './represent.js';

export function deleteWebhook(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { id: string } }>('/api/v2/webhooks/:id', { config: { role: 'admin' } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findWebhook(trx, request.params.id, deps.store);
      await trx.deleteFrom('webhooks').where('id', '=', row.id).execute();
      await trx.deleteFrom('webhook_deliveries').where('webhook_id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, webhookAudit(row, 'deleteWebhook', 'deleted', { before: row }));
    });
    return reply.code(204).send();
  });
}
