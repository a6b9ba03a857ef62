// DELETE /api/v2/members/{id} — remove a member from the account (admin): 204. The account owner cannot be removed (409).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict, notFound } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { teamDoc } from '../teams/model.js';
import { saveTeamMembers } from '../teams/teamInput.js';
import { lockMember, memberDoc, representMember } from './members.js';

export function deleteMember(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { id: string } }>('/api/v2/members/:id', { config: { role: 'admin' } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await lockMember(trx, deps.store, request.params.id);
      if (!row) throw notFound(`Member "${request.params.id}"`);
      // Every access token acts for the owner (docs/compatibility.md): removing it would orphan them all.
      if (memberDoc(row).role === 'owner') throw conflict('The account owner cannot be removed from the account');
      await trx.deleteFrom('members').where('id', '=', row.id).execute();
      // Off its teams too, and out of their permission grants.
      let teams = trx.selectFrom('teams').selectAll();
      if (deps.store.kind === 'postgres') teams = teams.forUpdate();
      for (const team of await teams.execute()) {
        const doc = teamDoc(team);
        if (!doc.memberIds.includes(row.id) && !doc.permissionGrants.some((g) => g.memberIds.includes(row.id))) continue;
        doc.memberIds = doc.memberIds.filter((id) => id !== row.id);
        doc.permissionGrants = doc.permissionGrants.map((g) => ({ ...g, memberIds: g.memberIds.filter((id) => id !== row.id) })).filter((g) => g.memberIds.length > 0);
        await saveTeamMembers(trx, request.actor, now, team, doc, { description: `removed ${row.email} from the team ${doc.name}` });
      }
      await recordAudit(trx, request.actor, now, {
        kind: 'member',
        resource: `member/${row.id}`,
        action: 'deleteMember',
        name: row.email,
        description: `removed the member ${row.email}`,
        before: representMember(row),
      });
    });
    return reply.code(204).send();
  });
}
