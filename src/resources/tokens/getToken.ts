// GET /api/v2/tokens/{id} — one access token (admin), its value shown as the last four characters.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findToken, makerOf } from './tokens.js';
import { representToken } from './represent.js';

export function getToken(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { id: string } }>('/api/v2/tokens/:id', { config: { role: 'admin' } }, async (request) => {
    const row = await findToken(deps.store.db, request.params.id);
    return representToken(row, deps.accountId, undefined, deps.tokenUsage.unwritten(row.id), await makerOf(deps.store.db, row));
  });
}
