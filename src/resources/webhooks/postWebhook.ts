// POST /api/v2/webhooks — create a webhook (admin): 200 with the Webhook, its secret included (generated when `sign`
// is true and none is given).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import type { WebhookRow } from './model.js';
import { representWebhook, seesSecret, webhookAudit } from './represent.js';
import { webhookFromPost } from './webhookInput.js';

export function postWebhook(app: FastifyInstance, deps: Deps): void {
  app.post('/api/v2/webhooks', { config: { role: 'admin' } }, async (request) => {
    const { doc, on } = webhookFromPost(request.body);
    const now = deps.now();
    const row: WebhookRow = { id: objectId(now), enabled: on ? 1 : 0, doc: JSON.stringify(doc), created_at: now, last_modified: now };
    await deps.store.tx(async (trx) => {
      await trx.insertInto('webhooks').values(row).execute();
      await recordAudit(trx, request.actor, now, webhookAudit(row, 'createWebhook', 'created', { after: row }));
    });
    return representWebhook(row, seesSecret(request.actor, row.id));
  });
}
