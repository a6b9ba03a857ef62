// The CustomRole representation.
import { link } from '../../http/links.js';
import { roleDoc, type CustomRoleRow } from './model.js';

export function roleLinks(key: string): Record<string, ReturnType<typeof link>> {
  return { parent: link('/api/v2/roles'), self: link(`/api/v2/roles/${encodeURIComponent(key)}`) };
}

export function representRole(row: CustomRoleRow): Record<string, unknown> {
  const doc = roleDoc(row);
  const rep: Record<string, unknown> = {
    _id: row.id,
    _links: roleLinks(row.key),
    key: row.key,
    name: doc.name,
    policy: doc.policy,
    basePermissions: doc.basePermissions,
    resourceCategory: doc.resourceCategory,
    // Members hold no roles in iterlab and there are no teams: a role is assigned to access tokens only.
    assignedTo: { membersCount: 0, teamsCount: 0 },
  };
  if (doc.description !== undefined) rep.description = doc.description;
  return rep;
}
