// PATCH /api/v2/members — a semantic patch on several members at once (admin): replace their roles, custom roles or
// role attributes, by id or for every member the filters do not exclude. One transaction; a member that cannot be
// changed (the account owner's role, an id no member has) is reported in `errors` and the others are changed.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { changeAction, customRoleIdsOf, roleAttributesProblem, roleProblem, saveMember } from './memberInput.js';
import { memberDoc, memberFilterExcludes, MemberFilters, roleIdsByKey, type MemberDoc, type MemberFilter } from './members.js';

const Ids = Type.Array(Type.String(), { minItems: 1 });
const INSTRUCTIONS = {
  replaceMembersRoles: Type.Object({ kind: Type.Literal('replaceMembersRoles'), value: Type.String(), memberIDs: Ids }),
  replaceAllMembersRoles: Type.Object({ kind: Type.Literal('replaceAllMembersRoles'), value: Type.String(), ...MemberFilters }),
  replaceMembersCustomRoles: Type.Object({ kind: Type.Literal('replaceMembersCustomRoles'), values: Type.Array(Type.String()), memberIDs: Ids }),
  replaceAllMembersCustomRoles: Type.Object({ kind: Type.Literal('replaceAllMembersCustomRoles'), values: Type.Array(Type.String()), ...MemberFilters }),
  replaceMembersRoleAttributes: Type.Object({ kind: Type.Literal('replaceMembersRoleAttributes'), value: Type.Record(Type.String(), Type.Unknown()), memberIDs: Ids }),
};

export function patchMembers(app: FastifyInstance, deps: Deps): void {
  app.patch('/api/v2/members', { config: { role: 'admin' } }, async (request) => {
    const patch = readSemanticPatch(request.body, INSTRUCTIONS);
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      let query = trx.selectFrom('members').selectAll().orderBy('id');
      if (deps.store.kind === 'postgres') query = query.forUpdate();
      const rows = await query.execute();
      const teams = await trx.selectFrom('teams').selectAll().execute();
      const roleIds = await roleIdsByKey(trx);
      const docs = new Map(rows.map((row) => [row.id, memberDoc(row)]));
      const updated = new Set<string>();
      const errors = new Map<string, string>();

      for (const instruction of patch.instructions) {
        const at = `instructions[${instruction.index}]`;
        const targets = 'memberIDs' in instruction ? instruction.memberIDs : rows.filter((row) => !memberFilterExcludes(row, docs.get(row.id)!, instruction as MemberFilter, teams, roleIds)).map((row) => row.id);
        let change: (doc: MemberDoc) => MemberDoc;
        if (instruction.kind === 'replaceMembersRoles' || instruction.kind === 'replaceAllMembersRoles') {
          const problem = roleProblem(instruction.value, `${at}.value`);
          if (problem) throw validationFailed([problem]);
          // Replacing a member's role also removes its custom roles (LaunchDarkly's reference says so).
          change = (doc) => ({ ...doc, role: instruction.value, customRoleIds: [] });
        } else if (instruction.kind === 'replaceMembersRoleAttributes') {
          const problem = roleAttributesProblem(instruction.value, `${at}.value`);
          if (problem) throw validationFailed([problem]);
          change = (doc) => ({ ...doc, roleAttributes: instruction.value as Record<string, string[]> });
        } else {
          const roles = await customRoleIdsOf(trx, deps.store, instruction.values, `${at}.values`);
          if (roles.errors.length > 0) throw validationFailed(roles.errors);
          change = (doc) => ({ ...doc, customRoleIds: roles.ids });
        }
        for (const id of targets) {
          const doc = docs.get(id);
          if (!doc) errors.set(id, 'no member has this ID');
          // Every token acts for the owner: its role is the caller's own (BulkEditMembersRep's example error).
          else if (doc.role === 'owner' && instruction.kind !== 'replaceMembersRoleAttributes') errors.set(id, 'you cannot modify your own role');
          else {
            docs.set(id, change(doc));
            updated.add(id);
          }
        }
      }

      for (const row of rows) {
        const old = memberDoc(row);
        const doc = docs.get(row.id)!;
        const action = changeAction(old, doc);
        if (!action) continue;
        await saveMember(trx, request.actor, now, row, { ...doc, version: old.version }, {
          action,
          comment: patch.comment,
          delta: patch.instructions.map(({ index: _index, ...instruction }) => instruction),
        });
      }
      return { members: [...updated], errors: [...errors].map(([id, message]) => ({ [id]: message })) };
    });
  });
}
