// PATCH /api/v2/teams (beta) — add members to several teams at once (admin): addMembersToTeams (by id), or
// addAllMembersToTeams (every member the filters leave in). One transaction; a team key no team has is reported in
// `errors` and the other teams are updated.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { memberDoc, memberFilterExcludes, MemberFilters, roleIdsByKey } from '../members/members.js';
import { teamDoc, type TeamRow } from './model.js';
import { saveTeamMembers, unknownMembers } from './teamInput.js';

const Keys = Type.Array(Type.String(), { minItems: 1 });
const INSTRUCTIONS = {
  addMembersToTeams: Type.Object({ kind: Type.Literal('addMembersToTeams'), memberIDs: Type.Array(Type.String(), { minItems: 1 }), teamKeys: Keys }),
  addAllMembersToTeams: Type.Object({ kind: Type.Literal('addAllMembersToTeams'), teamKeys: Keys, ...MemberFilters }),
};

export function patchTeams(app: FastifyInstance, deps: Deps): void {
  app.patch('/api/v2/teams', { config: { role: 'admin', beta: true } }, async (request) => {
    const patch = readSemanticPatch(request.body, INSTRUCTIONS);
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      let query = trx.selectFrom('teams').selectAll().orderBy('key');
      if (deps.store.kind === 'postgres') query = query.forUpdate();
      const teams = await query.execute();
      const members = await trx.selectFrom('members').selectAll().orderBy('id').execute();
      const docs = new Map(teams.map((row) => [row.key, teamDoc(row)]));
      const roleIds = await roleIdsByKey(trx);
      const added = new Set<string>();
      const errors = new Map<string, string>();
      for (const instruction of patch.instructions) {
        const at = `instructions[${instruction.index}]`;
        let ids: string[];
        if (instruction.kind === 'addMembersToTeams') {
          const unknown = await unknownMembers(trx, deps.store, instruction.memberIDs, `${at}.memberIDs`);
          if (unknown.length > 0) throw validationFailed(unknown);
          ids = instruction.memberIDs;
        } else {
          ids = members.filter((m) => !memberFilterExcludes(m, memberDoc(m), instruction, teams, roleIds)).map((m) => m.id);
        }
        for (const key of instruction.teamKeys) {
          const doc = docs.get(key);
          if (!doc) {
            errors.set(key, 'no team has this key');
            continue;
          }
          doc.memberIds = [...new Set([...doc.memberIds, ...ids])];
          for (const id of ids) added.add(id);
        }
      }
      const updated: string[] = [];
      for (const row of teams) {
        const doc = docs.get(row.key)!;
        if (doc.memberIds.length === teamDoc(row).memberIds.length) continue;
        await saveTeamMembers(trx, request.actor, now, row as TeamRow, doc, {
          description: `added members to the team ${doc.name}`,
          comment: patch.comment,
          delta: patch.instructions.map(({ index: _index, ...instruction }) => instruction),
        });
        updated.push(row.key);
      }
      return { memberIDs: [...added], teamKeys: updated, errors: [...errors].map(([key, message]) => ({ [key]: message })) };
    });
  });
}
