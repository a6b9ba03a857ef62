// GET /api/v2/webhooks/{id} — one webhook.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findWebhook } from './model.js';
import { representWebhook, seesSecret } from './represent.js';

export function getWebhook(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { id: string } }>('/api/v2/webhooks/:id', async (request) => {
    const row = await findWebhook(deps.store.db, request.params.id);
    return representWebhook(row, seesSecret(request.actor, row.id));
  });
}
