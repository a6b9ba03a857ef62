// GET /api/v2/account/relay-auto-configs/{id} — one Relay Proxy configuration; its key is never shown.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findRelayAutoConfig } from './model.js';
import { representRelayAutoConfigOf } from './represent.js';

export function getRelayProxyConfig(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { id: string } }>('/api/v2/account/relay-auto-configs/:id', { config: { role: 'reader' } }, async (request) => {
    const row = await findRelayAutoConfig(deps.store.db, request.params.id);
    return representRelayAutoConfigOf(deps.store.db, row);
  });
}
