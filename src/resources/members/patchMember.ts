// PATCH /api/v2/members/{id} — a JSON Patch on one member's role, custom roles (ids or keys; stored as ids), role
// attributes or name (admin). The account owner's role stays `owner`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import { applyResourcePatch, readPatchBody } from '../../http/patch/resourcePatch.js';
import { changeAction, customRoleIdsOf, roleAttributesProblem, roleProblem, saveMember } from './memberInput.js';
import { teamsByMember } from '../teams/represent.js';
import { lockMember, memberDoc, representMember, type MemberDoc } from './members.js';

export const WRITABLE_MEMBER_FIELDS = ['role', 'customRoles', 'roleAttributes', 'firstName', 'lastName'];
const RULES = {
  writable: WRITABLE_MEMBER_FIELDS,
  readOnly: ['_links', '_id', 'email', '_pendingInvite', '_verified', 'mfa', 'hasPassword', 'mfaEnforced', 'mfaGracePeriodExpiresAt', '_lastSeen', 'creationDate', 'version', 'teams', 'permissionGrants'],
};

export function patchMember(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { id: string } }>('/api/v2/members/:id', { config: { role: 'admin' } }, async (request) => {
    const { ops, comment } = readPatchBody(request.body);
    const now = deps.now();
    const row = await deps.store.tx(async (trx) => {
      const row = await lockMember(trx, deps.store, request.params.id);
      if (!row) throw notFound(`Member "${request.params.id}"`);
      const old = memberDoc(row);
      // A member without role attributes shows none; a patch reads them as {} (Terraform adds to and replaces the map).
      const shown = representMember(row);
      const patched = applyResourcePatch({ ...shown, roleAttributes: shown.roleAttributes ?? {} }, ops, RULES);
      const problems: FieldError[] = [];
      for (const field of ['firstName', 'lastName']) if (typeof patched[field] !== 'string') problems.push({ attribute: field, reason: 'must be a string' });
      if (old.role === 'owner') {
        if (patched.role !== 'owner') problems.push({ attribute: 'role', reason: "is the account owner's, which cannot be changed" });
      } else {
        const role = roleProblem(patched.role, 'role');
        if (role) problems.push(role);
      }
      const attributes = roleAttributesProblem(patched.roleAttributes ?? {}, 'roleAttributes');
      if (attributes) problems.push(attributes);
      const roles = await customRoleIdsOf(trx, deps.store, patched.customRoles ?? [], 'customRoles');
      problems.push(...roles.errors);
      if (problems.length > 0) throw validationFailed(problems);

      const doc: MemberDoc = {
        ...old,
        firstName: patched.firstName as string,
        lastName: patched.lastName as string,
        role: patched.role as string,
        customRoleIds: roles.ids,
        roleAttributes: (patched.roleAttributes ?? {}) as Record<string, string[]>,
      };
      const action = changeAction(old, doc);
      if (!action) return row;
      return saveMember(trx, request.actor, now, row, doc, { action, comment, delta: ops });
    });
    return representMember(row, (await teamsByMember(deps.store.db)).get(row.id));
  });
}
