// The CustomRole representation.
import { link } from '../../http/links.js';
import { roleDoc, type CustomRoleRow } from './model.js';

export function roleLinks(key: string): Record<string, ReturnType<typeof link>> {
  return { parent: link('/api/v2/roles'), self: link(`/api/v2/roles/${encodeURIComponent(key)}`) };
}

/** `membersCount`: the members who hold the role (members.ts `roleHolderCounts`); there are no teams. */
export function representRole(row: CustomRoleRow, membersCount = 0): Record<string, unknown> {
  const doc = roleDoc(row);
  const rep: Record<string, unknown> = {
    _id: row.id,
    _links: roleLinks(row.key),
    key: row.key,
    name: doc.name,
    policy: doc.policy,
    basePermissions: doc.basePermissions,
    resourceCategory: doc.resourceCategory,
    assignedTo: { membersCount, teamsCount: 0 },
  };
  if (doc.description !== undefined) rep.description = doc.description;
  return rep;
}
