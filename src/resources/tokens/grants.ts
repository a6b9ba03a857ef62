// What a token may do: a built-in role, or custom roles (by id) and an inline role; the checks on giving either.
import { forbidden, validationFailed, type FieldError } from '../../http/errors.js';
import type { Actor, Role } from '../../http/context.js';
import type { Db, DbKind, Trx } from '../../store/db.js';
import { normalStatement, resolveRoleIds, statementProblems } from '../custom-roles/model.js';
import type { Statement } from '../custom-roles/policy.js';

/** The `role` column of a token whose custom or inline roles govern it. */
export const CUSTOM = 'custom';

export interface Grants {
  role: Role | typeof CUSTOM;
  customRoleIds: string[];
  inlineRole: Statement[];
}

/**
 * The grants a token is given: custom roles named by id (or key; stored as ids, each must exist) and inline
 * statements, else `role` (`defaultRole` when nothing is given). A built-in role beside custom or inline roles is refused,
 * as a token is governed by one or the other.
 */
export async function readGrants(db: Db | Trx, kind: DbKind, input: { role?: unknown; customRoleIds?: unknown; inlineRole?: unknown }, defaultRole: Role = 'reader'): Promise<Grants> {
  const ids = Array.isArray(input.customRoleIds) ? (input.customRoleIds as string[]) : [];
  const inline = Array.isArray(input.inlineRole) ? (input.inlineRole as Statement[]) : [];
  const errors: FieldError[] = statementProblems(inline, 'inlineRole');
  if (ids.length === 0 && inline.length === 0) {
    if (errors.length > 0) throw validationFailed(errors);
    return { role: (input.role as Role | undefined) ?? defaultRole, customRoleIds: [], inlineRole: [] };
  }
  if (input.role !== undefined) {
    errors.push({ attribute: 'role', reason: 'must not be given with customRoleIds or inlineRole; a token has a built-in role or custom roles, not both' });
  }
  const { ids: resolved, errors: unknown } = await resolveRoleIds(db, { kind }, ids, 'customRoleIds');
  errors.push(...unknown);
  if (errors.length > 0) throw validationFailed(errors);
  return { role: CUSTOM, customRoleIds: resolved, inlineRole: inline.map(normalStatement) };
}

/**
 * A token governed by custom roles may only give what it holds: some of its own custom roles. Anything else (a
 * built-in role, an inline role, another custom role) could reach further than the caller does.
 */
export function refuseEscalation(actor: Actor | undefined, grants: Grants): void {
  if (!actor?.policy) return;
  const held = actor.customRoleIds ?? [];
  if (grants.role !== CUSTOM || grants.inlineRole.length > 0 || grants.customRoleIds.some((id) => !held.includes(id))) {
    throw forbidden('Forbidden. A token with custom roles may only give a token some of its own custom roles, not a built-in role, an inline role or other custom roles');
  }
}
