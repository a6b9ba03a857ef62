// GET /api/v2/oauth/clients/{clientId} — one OAuth 2.0 client, without its secret (admins only).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findOAuthClient } from './model.js';
import { representOAuthClient } from './represent.js';

export function getOAuthClientById(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { clientId: string } }>('/api/v2/oauth/clients/:clientId', { config: { role: 'admin' } }, async (request) => {
    return representOAuthClient(await findOAuthClient(deps.store.db, request.params.clientId), deps.accountId);
  });
}
