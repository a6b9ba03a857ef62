// DELETE /api/v2/oauth/clients/{clientId} — unregister a client (admins only): 204; its secret stops being one.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findOAuthClient } from './model.js';
import { oauthClientAudit, representOAuthClient } from './represent.js';

export function deleteOAuthClient(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { clientId: string } }>('/api/v2/oauth/clients/:clientId', { config: { role: 'admin' } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findOAuthClient(trx, request.params.clientId, deps.store);
      await trx.deleteFrom('oauth_clients').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, oauthClientAudit(row, 'deleteOAuthClient', `deleted the OAuth 2.0 client ${row.name}`, { before: representOAuthClient(row, deps.accountId) }));
    });
    return reply.code(204).send();
  });
}
