// GET /api/v2/tokens/{id} — one access token (admin), its value shown as the last four characters.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findToken } from './tokens.js';
import { findMembers } from '../members/members.js';
import { representToken } from './represent.js';

export function getToken(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { id: string } }>('/api/v2/tokens/:id', { config: { role: 'admin' } }, async (request) => {
    const row = await findToken(deps.store.db, request.params.id);
    const member = (await findMembers(deps.store.db, [row.member_id])).get(row.member_id);
    return representToken(row, deps.accountId, undefined, deps.tokenUsage.unwritten(row.id), member);
  });
}
