// The CustomRole representation.
import { link } from '../../http/links.js';
import { roleDoc, type CustomRoleRow } from './model.js';

export function roleLinks(key: string): Record<string, ReturnType<typeof link>> {
  return { parent: link('/api/v2/roles'), self: link(`/api/v2/roles/${encodeURIComponent(key)}`) };
}

/** `assignedTo`: how many members and teams hold the role (members.ts `roleHolders`). */
export function representRole(row: CustomRoleRow, assignedTo: { membersCount: number; teamsCount: number } = { membersCount: 0, teamsCount: 0 }): Record<string, unknown> {
  const doc = roleDoc(row);
  const rep: Record<string, unknown> = {
    _id: row.id,
    _links: roleLinks(row.key),
    key: row.key,
    name: doc.name,
    policy: doc.policy,
    basePermissions: doc.basePermissions,
    resourceCategory: doc.resourceCategory,
    assignedTo,
  };
  if (doc.description !== undefined) rep.description = doc.description;
  return rep;
}
