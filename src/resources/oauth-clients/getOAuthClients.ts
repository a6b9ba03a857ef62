// GET /api/v2/oauth/clients — the account's OAuth 2.0 clients, oldest first, without their secrets (admins only).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { representOAuthClients } from './represent.js';

export function getOAuthClients(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/oauth/clients', { config: { role: 'admin' } }, async () => {
    const rows = await deps.store.db.selectFrom('oauth_clients').selectAll().orderBy('created_at').orderBy('id').execute();
    return representOAuthClients(rows, deps.accountId);
  });
}
