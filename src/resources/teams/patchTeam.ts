// PATCH /api/v2/teams/{teamKey} — a semantic patch on one team (admin): its name, description, members, custom
// roles, permission grants and role attributes. All instructions apply or none; 200 with the Team (`expand`).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { readExpand } from '../../http/links.js';
import { isForbiddenKey } from '../../http/patch/jsonPatch.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { Name } from '../../http/schemas.js';
import { roleAttributesProblem } from '../members/memberInput.js';
import { findTeam, TEAM_INSTRUCTION_ACTIONS, teamDoc, type TeamDoc } from './model.js';
import { loadTeamContext, representTeam } from './represent.js';
import { grantProblems, saveTeam, sameGrant, teamRoleIds, unknownMembers } from './teamInput.js';

const Strings = Type.Array(Type.String());
const Grant = { actionSet: Type.Optional(Type.String()), actions: Type.Optional(Strings), memberIDs: Strings };

const INSTRUCTIONS = {
  updateName: Type.Object({ kind: Type.Literal('updateName'), value: Name }),
  updateDescription: Type.Object({ kind: Type.Literal('updateDescription'), value: Type.String({ maxLength: 65536 }) }),
  addCustomRoles: Type.Object({ kind: Type.Literal('addCustomRoles'), values: Strings }),
  removeCustomRoles: Type.Object({ kind: Type.Literal('removeCustomRoles'), values: Strings }),
  addMembers: Type.Object({ kind: Type.Literal('addMembers'), values: Strings }),
  removeMembers: Type.Object({ kind: Type.Literal('removeMembers'), values: Strings }),
  replaceMembers: Type.Object({ kind: Type.Literal('replaceMembers'), values: Strings }),
  addPermissionGrants: Type.Object({ kind: Type.Literal('addPermissionGrants'), ...Grant }),
  removePermissionGrants: Type.Object({ kind: Type.Literal('removePermissionGrants'), ...Grant }),
  addRoleAttribute: Type.Object({ kind: Type.Literal('addRoleAttribute'), key: Type.String({ minLength: 1 }), values: Strings }),
  updateRoleAttribute: Type.Object({ kind: Type.Literal('updateRoleAttribute'), key: Type.String({ minLength: 1 }), values: Strings }),
  removeRoleAttribute: Type.Object({ kind: Type.Literal('removeRoleAttribute'), key: Type.String({ minLength: 1 }) }),
  replaceRoleAttributes: Type.Object({ kind: Type.Literal('replaceRoleAttributes'), value: Type.Record(Type.String(), Type.Unknown()) }),
};

export function patchTeam(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { teamKey: string } }>('/api/v2/teams/:teamKey', { config: { role: 'admin' } }, async (request) => {
    const patch = readSemanticPatch(request.body, INSTRUCTIONS);
    const expand = readExpand(request.query as Record<string, unknown>);
    const now = deps.now();
    const row = await deps.store.tx(async (trx) => {
      const row = await findTeam(trx, request.params.teamKey, deps.store);
      const old = teamDoc(row);
      const doc: TeamDoc = structuredClone(old);
      const problems: FieldError[] = [];
      for (const instruction of patch.instructions) {
        const at = `instructions[${instruction.index}]`;
        switch (instruction.kind) {
          case 'updateName':
            doc.name = instruction.value;
            break;
          case 'updateDescription':
            doc.description = instruction.value;
            break;
          case 'addCustomRoles':
          case 'removeCustomRoles': {
            const roles = await teamRoleIds(trx, deps.store, instruction.values, `${at}.values`);
            problems.push(...roles.errors);
            if (instruction.kind === 'addCustomRoles') {
              for (const id of roles.ids) {
                if (doc.customRoleIds.includes(id)) continue;
                doc.customRoleIds.push(id);
                doc.roleAppliedOn[id] = now;
              }
            } else {
              doc.customRoleIds = doc.customRoleIds.filter((id) => !roles.ids.includes(id));
              for (const id of roles.ids) delete doc.roleAppliedOn[id];
            }
            break;
          }
          case 'addMembers':
          case 'replaceMembers':
            problems.push(...(await unknownMembers(trx, deps.store, instruction.values, `${at}.values`)));
            doc.memberIds = [...new Set([...(instruction.kind === 'addMembers' ? doc.memberIds : []), ...instruction.values])];
            break;
          case 'removeMembers':
            doc.memberIds = doc.memberIds.filter((id) => !instruction.values.includes(id));
            break;
          case 'addPermissionGrants': {
            const grant = { actionSet: instruction.actionSet, actions: instruction.actions };
            problems.push(...grantProblems(grant, at), ...(await unknownMembers(trx, deps.store, instruction.memberIDs, `${at}.memberIDs`)));
            const existing = doc.permissionGrants.find((g) => sameGrant(g, grant));
            if (existing) existing.memberIds = [...new Set([...existing.memberIds, ...instruction.memberIDs])];
            else doc.permissionGrants.push({ ...(grant.actionSet !== undefined ? { actionSet: grant.actionSet } : { actions: grant.actions }), memberIds: [...new Set(instruction.memberIDs)] });
            break;
          }
          case 'removePermissionGrants': {
            const grant = { actionSet: instruction.actionSet, actions: instruction.actions };
            problems.push(...grantProblems(grant, at));
            // "The actionSet and actions must match an existing permission grant."
            const existing = doc.permissionGrants.find((g) => sameGrant(g, grant));
            if (!existing) problems.push({ attribute: at, reason: 'matches no permission grant of the team' });
            else existing.memberIds = existing.memberIds.filter((id) => !instruction.memberIDs.includes(id));
            doc.permissionGrants = doc.permissionGrants.filter((g) => g.memberIds.length > 0);
            break;
          }
          case 'addRoleAttribute':
          case 'updateRoleAttribute':
            if (isForbiddenKey(instruction.key)) problems.push({ attribute: `${at}.key`, reason: `"${instruction.key}" is not an allowed key` });
            else if (instruction.kind === 'addRoleAttribute' && Object.hasOwn(doc.roleAttributes, instruction.key)) {
              problems.push({ attribute: `${at}.key`, reason: `the team already has the role attribute "${instruction.key}" (use updateRoleAttribute)` });
            } else doc.roleAttributes[instruction.key] = instruction.values;
            break;
          case 'removeRoleAttribute':
            if (!Object.hasOwn(doc.roleAttributes, instruction.key)) problems.push({ attribute: `${at}.key`, reason: `the team has no role attribute "${instruction.key}"` });
            else delete doc.roleAttributes[instruction.key];
            break;
          case 'replaceRoleAttributes': {
            const problem = roleAttributesProblem(instruction.value, `${at}.value`);
            if (problem) problems.push(problem);
            doc.roleAttributes = instruction.value as Record<string, string[]>;
            break;
          }
        }
      }
      if (problems.length > 0) throw validationFailed(problems);
      if (JSON.stringify(doc) === JSON.stringify(old)) return row;
      const all = new Set(['members', 'roleAttributes']);
      const none = { roles: new Map(), members: new Map(), projects: [] };
      return saveTeam(trx, request.actor, now, row, doc, {
        action: TEAM_INSTRUCTION_ACTIONS[patch.instructions[0].kind] ?? 'updateTeamMembers',
        description: `updated the team ${doc.name}`,
        comment: patch.comment,
        delta: patch.instructions.map(({ index: _index, ...instruction }) => instruction),
        before: representTeam(row, all, none),
        after: (next) => representTeam(next, all, none),
      });
    });
    return representTeam(row, expand, await loadTeamContext(deps.store.db, [row], expand));
  });
}
