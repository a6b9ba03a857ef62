// POST /api/v2/teams — create a team (admin): its members, custom roles (by key), permission grants and role
// attributes; 201 with the Team (`expand` as getTeam). A key in use is a 409.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import { Key, Name } from '../../http/schemas.js';
import { check } from '../../http/validation.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { roleAttributesProblem } from '../members/memberInput.js';
import type { TeamDoc, TeamRow } from './model.js';
import { loadTeamContext, representTeam } from './represent.js';
import { grantProblems, teamRoleIds, unknownMembers } from './teamInput.js';

export const PermissionGrantInput = Type.Object({
  actionSet: Type.Optional(Type.String()),
  actions: Type.Optional(Type.Array(Type.String())),
  memberIDs: Type.Optional(Type.Array(Type.String())),
});

const TeamPost = Type.Object({
  key: Key,
  name: Name,
  description: Type.Optional(Type.String({ maxLength: 65536 })),
  customRoleKeys: Type.Optional(Type.Array(Type.String())),
  memberIDs: Type.Optional(Type.Array(Type.String())),
  permissionGrants: Type.Optional(Type.Array(PermissionGrantInput)),
  roleAttributes: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
type TeamPost = Static<typeof TeamPost>;

export function postTeam(app: FastifyInstance, deps: Deps): void {
  app.post('/api/v2/teams', { config: { role: 'admin' } }, async (request, reply) => {
    const errors = check(TeamPost, request.body);
    if (errors.length > 0) throw validationFailed(errors);
    const body = request.body as TeamPost;
    const problems = (body.permissionGrants ?? []).flatMap((grant, i) => grantProblems(grant, `permissionGrants[${i}]`));
    if (body.roleAttributes !== undefined) problems.push(...[roleAttributesProblem(body.roleAttributes, 'roleAttributes')].filter((p) => p !== undefined));
    if (problems.length > 0) throw validationFailed(problems);
    const expand = readExpand(request.query as Record<string, unknown>);
    const now = deps.now();
    const row = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const roles = await teamRoleIds(trx, deps.store, body.customRoleKeys ?? [], 'customRoleKeys');
          const found = [...roles.errors, ...(await unknownMembers(trx, deps.store, body.memberIDs ?? [], 'memberIDs'))];
          // One grant at a time: the transaction's one connection runs one query at a time.
          for (const [i, grant] of (body.permissionGrants ?? []).entries()) {
            found.push(...(await unknownMembers(trx, deps.store, grant.memberIDs ?? [], `permissionGrants[${i}].memberIDs`)));
          }
          if (found.length > 0) throw validationFailed(found);
          const doc: TeamDoc = {
            name: body.name,
            ...(body.description !== undefined ? { description: body.description } : {}),
            customRoleIds: roles.ids,
            roleAppliedOn: Object.fromEntries(roles.ids.map((id) => [id, now])),
            roleAttributes: (body.roleAttributes ?? {}) as Record<string, string[]>,
            memberIds: [...new Set(body.memberIDs ?? [])],
            permissionGrants: (body.permissionGrants ?? []).map((g) => ({ ...(g.actionSet !== undefined ? { actionSet: g.actionSet } : { actions: g.actions }), memberIds: [...new Set(g.memberIDs ?? [])] })),
            version: 1,
          };
          const row: TeamRow = { id: objectId(now), key: body.key, doc: JSON.stringify(doc), created_at: now, last_modified: now };
          await trx.insertInto('teams').values(row).execute();
          await recordAudit(trx, request.actor, now, {
            kind: 'team',
            resource: `team/${row.key}`,
            action: 'createTeam',
            name: doc.name,
            description: `created the team ${doc.name}`,
            after: representTeam(row, new Set(['members', 'roles', 'roleAttributes', 'maintainers']), await loadTeamContext(trx, [row], new Set(['roles', 'maintainers']))),
          });
          return row;
        }),
      `A team with the key "${body.key}" already exists`,
    );
    return reply.code(201).send(representTeam(row, expand, await loadTeamContext(deps.store.db, [row], expand)));
  });
}
