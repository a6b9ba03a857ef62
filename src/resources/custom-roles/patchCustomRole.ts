// PATCH /api/v2/roles/{customRoleKey} — a JSON Patch (or `{merge}` merge patch) on a role's name, description, policy or base permissions (admin).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readResourceEdit } from '../../http/patch/resourcePatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import type { Statement } from './policy.js';
import { CustomRoleFields, lockRole, normalStatement, READ_ONLY_ROLE_FIELDS, roleDoc, statementProblems, WRITABLE_ROLE_FIELDS, type CustomRoleDoc, type CustomRoleRow } from './model.js';
import { roleHolders } from '../members/members.js';
import { representRole } from './represent.js';

const RULES = { writable: WRITABLE_ROLE_FIELDS, readOnly: READ_ONLY_ROLE_FIELDS };

/** The audit action for each writable field, in the order a change is named by its first changed field. */
const ACTIONS: [keyof CustomRoleDoc, string][] = [
  ['name', 'updateName'],
  ['description', 'updateDescription'],
  ['policy', 'updatePolicy'],
  ['basePermissions', 'updateBasePermissions'],
];

export function patchCustomRole(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { customRoleKey: string } }>('/api/v2/roles/:customRoleKey', { config: { role: 'admin' } }, async (request) => {
    const edit = readResourceEdit(request.body, RULES, 'custom role');
    const now = deps.now();
    const result = await deps.store.tx(async (trx) => {
      const row = await lockRole(trx, deps.store, request.params.customRoleKey);
      const before = representRole(row);
      const patched = applyResourcePatch(before, edit.operations(before), RULES);
      const fields = Object.fromEntries(WRITABLE_ROLE_FIELDS.filter((f) => patched[f] !== undefined && patched[f] !== null).map((f) => [f, patched[f]]));
      const errors = check(CustomRoleFields, fields);
      if (errors.length === 0) errors.push(...statementProblems(fields.policy as Statement[], 'policy'));
      if (errors.length > 0) throw validationFailed(errors);

      const old = roleDoc(row);
      const doc: CustomRoleDoc = {
        name: fields.name as string,
        ...(fields.description !== undefined ? { description: fields.description as string } : {}),
        policy: (fields.policy as Statement[]).map(normalStatement),
        basePermissions: fields.basePermissions as CustomRoleDoc['basePermissions'],
        resourceCategory: old.resourceCategory,
      };
      const changed = ACTIONS.find(([field]) => !deepEqual(doc[field], old[field]));
      if (!changed) return { row, changed: false };
      const next: CustomRoleRow = { ...row, doc: JSON.stringify(doc), last_modified: now };
      await trx.updateTable('custom_roles').set({ doc: next.doc, last_modified: now }).where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, {
        kind: 'role',
        resource: `role/${row.key}`,
        action: changed[1],
        name: doc.name,
        description: `updated the custom role ${doc.name}`,
        ...(edit.comment !== undefined ? { comment: edit.comment } : {}),
        delta: edit.delta,
        before,
        after: representRole(next),
      });
      return { row: next, changed: true };
    });
    // A token's permissions are its roles' policies, read through the authenticator's cache: drop it so the next request sees the change.
    if (result.changed) deps.changed({ kind: 'custom-role', id: result.row.id });
    return representRole(result.row, (await roleHolders(deps.store.db)).get(result.row.id));
  });
}
