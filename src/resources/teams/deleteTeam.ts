// DELETE /api/v2/teams/{teamKey} — delete a team (admin): 204. Its members stay in the account.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findTeam, teamDoc } from './model.js';
import { representTeam } from './represent.js';

export function deleteTeam(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { teamKey: string } }>('/api/v2/teams/:teamKey', { config: { role: 'admin' } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const row = await findTeam(trx, request.params.teamKey, deps.store);
      await trx.deleteFrom('teams').where('id', '=', row.id).execute();
      const doc = teamDoc(row);
      await recordAudit(trx, request.actor, now, {
        kind: 'team',
        resource: `team/${row.key}`,
        action: 'deleteTeam',
        name: doc.name,
        description: `deleted the team ${doc.name}`,
        before: representTeam(row, new Set(['members', 'roleAttributes']), { roles: new Map(), members: new Map(), projects: [] }),
      });
    });
    return reply.code(204).send();
  });
}
