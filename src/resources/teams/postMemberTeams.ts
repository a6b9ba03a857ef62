// POST /api/v2/members/{id}/teams — put one member on one or more teams (admin): 201 with the Member and its teams.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound, validationFailed } from '../../http/errors.js';
import { check } from '../../http/validation.js';
import { lockMember, representMember } from '../members/members.js';
import { teamDoc } from './model.js';
import { teamsByMember } from './represent.js';
import { saveTeamMembers } from './teamInput.js';

const MemberTeamsPostInput = Type.Object({ teamKeys: Type.Array(Type.String(), { minItems: 1 }) });

export function postMemberTeams(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { id: string } }>('/api/v2/members/:id/teams', { config: { role: 'admin' } }, async (request, reply) => {
    const errors = check(MemberTeamsPostInput, request.body);
    if (errors.length > 0) throw validationFailed(errors);
    const { teamKeys } = request.body as Static<typeof MemberTeamsPostInput>;
    const now = deps.now();
    const member = await deps.store.tx(async (trx) => {
      const member = await lockMember(trx, deps.store, request.params.id);
      if (!member) throw notFound(`Member "${request.params.id}"`);
      let query = trx.selectFrom('teams').selectAll().where('key', 'in', teamKeys);
      if (deps.store.kind === 'postgres') query = query.forUpdate();
      const teams = await query.execute();
      const unknown = teamKeys.flatMap((key, i) => (teams.some((t) => t.key === key) ? [] : [{ attribute: `teamKeys[${i}]`, reason: `no team has the key "${key}"` }]));
      if (unknown.length > 0) throw validationFailed(unknown);
      for (const row of teams) {
        const doc = teamDoc(row);
        if (doc.memberIds.includes(member.id)) continue;
        await saveTeamMembers(trx, request.actor, now, row, { ...doc, memberIds: [...doc.memberIds, member.id] }, { description: `added ${member.email} to the team ${doc.name}` });
      }
      return member;
    });
    return reply.code(201).send(representMember(member, (await teamsByMember(deps.store.db)).get(member.id)));
  });
}
