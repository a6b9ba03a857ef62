// GET /api/v2/webhooks — every webhook of the account, oldest first (no paging: LaunchDarkly's list takes no parameters).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { representWebhook, seesSecret, WEBHOOKS_PATH } from './represent.js';

export function getAllWebhooks(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/webhooks', async (request) => {
    const rows = await deps.store.db.selectFrom('webhooks').selectAll().orderBy('created_at').orderBy('id').execute();
    return { _links: { self: link(WEBHOOKS_PATH) }, items: rows.map((row) => representWebhook(row, seesSecret(request.actor, row.id))) };
  });
}
