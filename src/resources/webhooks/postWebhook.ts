// POST /api/v2/webhooks — create a webhook (admin): 200 with the Webhook, its secret included (generated when `sign`
// is true and none is given).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { check } from '../../http/validation.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import type { WebhookRow } from './model.js';
import { representWebhook, seesSecret } from './represent.js';
import { WebhookFields, webhookFromInput, type WebhookInput } from './webhookInput.js';

const WebhookPost = Type.Object({ ...WebhookFields.properties, sign: Type.Boolean() });

export function postWebhook(app: FastifyInstance, deps: Deps): void {
  app.post('/api/v2/webhooks', { config: { role: 'admin' } }, async (request) => {
    const errors = check(WebhookPost, request.body);
    if (errors.length > 0) throw validationFailed(errors);
    const body = request.body as Static<typeof WebhookPost>;
    const { doc, on } = webhookFromInput(body as WebhookInput, body.sign);
    const now = deps.now();
    const row: WebhookRow = { id: objectId(now), enabled: on ? 1 : 0, doc: JSON.stringify(doc), created_at: now, last_modified: now };
    const name = doc.name ?? doc.url;
    await deps.store.tx(async (trx) => {
      await trx.insertInto('webhooks').values(row).execute();
      await recordAudit(trx, request.actor, now, {
        kind: 'webhook',
        resource: `webhook/${row.id}`,
        action: 'createWebhook',
        name,
        description: `created the webhook ${name}`,
        after: representWebhook(row, false),
      });
    });
    return representWebhook(row, seesSecret(request.actor, row.id));
  });
}
