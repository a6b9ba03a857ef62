// PATCH /api/v2/roles/{customRoleKey} — a JSON Patch (or `{merge}` merge patch) on a role's name, description, policy or base permissions (admin).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { applyMergePatch, deepEqual, type PatchOperation } from '../../http/patch/jsonPatch.js';
import { applyResourcePatch, readComment, readPatchBody } from '../../http/patch/resourcePatch.js';
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

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The body as LaunchDarkly takes it: a bare JSON Patch array, `{comment?, patch}`, or a merge patch `{comment?, merge}`. */
function readEdit(body: unknown): { comment: string | undefined; delta: unknown; operations: (view: Record<string, unknown>) => unknown } {
  if (isObject(body) && Object.hasOwn(body, 'merge')) {
    const comment = readComment(body);
    const merge = body.merge;
    if (!isObject(merge)) throw validationFailed([{ attribute: 'merge', reason: 'must be an object (RFC 7386 JSON merge patch of the custom role)' }]);
    // Each member the merge names becomes one operation on it, so that the same rules as a JSON Patch's apply.
    const operations = (view: Record<string, unknown>): PatchOperation[] =>
      Object.entries(merge).flatMap(([member, value]): PatchOperation[] => {
        const path = `/${member.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        if (value !== null) return [{ op: 'replace', path, value: applyMergePatch(view[member], value) }];
        // Deleting a field that is not there is nothing to do; naming one that is no field of a role is still an error.
        const known = RULES.writable.includes(member) || RULES.readOnly.includes(member);
        return Object.hasOwn(view, member) || !known ? [{ op: 'remove', path }] : [];
      });
    return { comment, delta: merge, operations };
  }
  if (isObject(body) && !Object.hasOwn(body, 'patch')) {
    throw validationFailed([{ attribute: 'patch', reason: 'must be present (or send the JSON Patch array itself as the body, or a merge patch {"merge": ...})' }]);
  }
  const { ops, comment } = readPatchBody(body);
  return { comment, delta: ops, operations: () => ops };
}

export function patchCustomRole(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { customRoleKey: string } }>('/api/v2/roles/:customRoleKey', { config: { role: 'admin' } }, async (request) => {
    const edit = readEdit(request.body);
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
