// GET /api/v2/members/{id} — one account member; `me` is the member behind the calling token.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { teamsByMember } from '../teams/represent.js';
import { findMember, representMember } from './members.js';

export function getMember(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { id: string } }>('/api/v2/members/:id', async (request) => {
    // Every iterlab token acts for a member (service tokens for the member who made them; see docs/compatibility.md).
    const id = request.params.id === 'me' ? request.actor!.memberId : request.params.id;
    const member = await findMember(deps.store.db, id);
    if (!member) throw notFound(request.params.id === 'me' ? 'The member behind this token' : `Member "${id}"`);
    return representMember(member, (await teamsByMember(deps.store.db)).get(member.id));
  });
}
