// DELETE /api/v2/roles/{customRoleKey} — delete a custom role (admin), by key or _id; refused (409) while a member, a team or a token holds it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { membersHolding } from '../members/members.js';
import { teamsHolding } from '../teams/model.js';
import { lockRole, roleDoc, tokensHolding } from './model.js';
import { representRole } from './represent.js';

/** The holders a 409 names by id; the rest are counted. */
const MAX_NAMED = 10;
const named = (ids: string[]) => (ids.length > MAX_NAMED ? `${ids.slice(0, MAX_NAMED).join(', ')} and ${ids.length - MAX_NAMED} more` : ids.join(', '));

export function deleteCustomRole(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { customRoleKey: string } }>('/api/v2/roles/:customRoleKey', { config: { role: 'admin' } }, async (request, reply) => {
    const now = deps.now();
    const id = await deps.store.tx(async (trx) => {
      const row = await lockRole(trx, deps.store, request.params.customRoleKey);
      const members = await membersHolding(trx, row.id);
      if (members.length > 0) {
        const held = members.length === 1 ? '1 member holds it' : `${members.length} members hold it`;
        throw conflict(`Custom role "${row.key}" cannot be deleted: ${held} (${named(members)}); remove the role from their customRoles first`);
      }
      const teams = await teamsHolding(trx, row.id);
      if (teams.length > 0) {
        const held = teams.length === 1 ? '1 team holds it' : `${teams.length} teams hold it`;
        throw conflict(`Custom role "${row.key}" cannot be deleted: ${held} (${named(teams)}); remove the role from the teams first`);
      }
      const holders = (await tokensHolding(trx, row.id)).sort();
      if (holders.length > 0) {
        const tokens = holders.length === 1 ? '1 access token holds it' : `${holders.length} access tokens hold it`;
        throw conflict(`Custom role "${row.key}" cannot be deleted: ${tokens} (${named(holders)}); remove the role from their customRoleIds first`);
      }
      await trx.deleteFrom('custom_roles').where('id', '=', row.id).execute();
      const doc = roleDoc(row);
      await recordAudit(trx, request.actor, now, {
        kind: 'role',
        resource: `role/${row.key}`,
        action: 'deleteRole',
        name: doc.name,
        description: `deleted the custom role ${doc.name}`,
        before: representRole(row),
      });
      return row.id;
    });
    deps.changed({ kind: 'custom-role', id });
    return reply.code(204).send();
  });
}
