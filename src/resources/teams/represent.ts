// The Team representation and its expansions (members, roles, roleAttributes, projects, maintainers), and the
// MemberTeamSummaryRep a member shows for each of its teams: the only code that builds them.
import { link } from '../../http/links.js';
import type { Db, Trx } from '../../store/db.js';
import { roleDoc, type CustomRoleRow } from '../custom-roles/model.js';
import { parseSpecifier, withRoleAttributes } from '../custom-roles/policy.js';
import { findMembers, memberSummary, type MemberRow, type MemberTeams } from '../members/members.js';
import { allTeams, maintainerIds, teamDoc, type TeamRow } from './model.js';
import { byText } from '../../store/reads.js';

export const TEAM_EXPANSIONS = ['members', 'roles', 'roleAttributes', 'projects', 'maintainers'];

/** What a team's representation may need besides its row: its roles, the members it names, the projects. */
export interface TeamContext {
  roles: Map<string, CustomRoleRow>;
  members: Map<string, MemberRow>;
  projects: { id: string; key: string; name: string }[];
}

export async function loadTeamContext(db: Db | Trx, rows: readonly TeamRow[], expand: ReadonlySet<string>): Promise<TeamContext> {
  const docs = rows.map(teamDoc);
  const roleIds = [...new Set(docs.flatMap((d) => d.customRoleIds))];
  const needRoles = expand.has('roles') || expand.has('projects');
  const roles = needRoles && roleIds.length > 0 ? await db.selectFrom('custom_roles').selectAll().where('id', 'in', roleIds).execute() : [];
  const members = expand.has('maintainers') ? await findMembers(db, docs.flatMap(maintainerIds)) : new Map<string, MemberRow>();
  const projects = expand.has('projects') ? byText(await db.selectFrom('projects').select(['id', 'key', 'name']).execute(), 'key') : [];
  return { roles: new Map(roles.map((r) => [r.id, r])), members, projects };
}

/**
 * The projects a role's allow statements reach (their first level a `proj` whose key matches, or `*`), with the team's
 * role attributes in place of `${roleAttribute/...}`.
 */
function projectsOf(role: CustomRoleRow, projects: TeamContext['projects'], attributes: Record<string, string[]>): TeamContext['projects'] {
  const specifiers = roleDoc(role)
    .policy.filter((s) => s.effect === 'allow')
    .flatMap((s) => s.resources ?? [])
    .flatMap((text) => withRoleAttributes(text, attributes))
    .map(parseSpecifier)
    .filter((s) => typeof s !== 'string');
  return projects.filter((p) => specifiers.some((s) => s.all || (s.levels[0]?.type === 'proj' && (s.levels[0].key?.test(p.key) ?? true))));
}

function projectSummaries(projects: TeamContext['projects']): Record<string, unknown> {
  return {
    totalCount: projects.length,
    items: projects.map((p) => ({
      _id: p.id,
      _links: { environments: link(`/api/v2/projects/${p.key}/environments`), self: link(`/api/v2/projects/${p.key}`) },
      key: p.key,
      name: p.name,
    })),
  };
}

export function representTeam(row: TeamRow, expand: ReadonlySet<string>, ctx: TeamContext): Record<string, unknown> {
  const doc = teamDoc(row);
  const self = `/api/v2/teams/${encodeURIComponent(row.key)}`;
  const rep: Record<string, unknown> = {
    key: row.key,
    name: doc.name,
    _creationDate: row.created_at,
    _lastModified: row.last_modified,
    _version: doc.version,
    _idpSynced: false,
    _links: { parent: link('/api/v2/teams'), roles: link(`${self}/roles`), maintainers: link(`${self}/maintainers`), self: link(self) },
  };
  if (doc.description !== undefined) rep.description = doc.description;
  const roles = doc.customRoleIds.map((id) => ctx.roles.get(id)).filter((r): r is CustomRoleRow => r !== undefined);
  if (expand.has('members')) rep.members = { totalCount: doc.memberIds.length };
  if (expand.has('roles')) rep.roles = teamRoles(row, roles, ctx.projects, { offset: 0, limit: 25 });
  if (expand.has('roleAttributes')) rep.roleAttributes = doc.roleAttributes;
  if (expand.has('projects')) {
    const reached = new Set(roles.flatMap((r) => projectsOf(r, ctx.projects, doc.roleAttributes)).map((p) => p.key));
    rep.projects = projectSummaries(ctx.projects.filter((p) => reached.has(p.key)));
  }
  if (expand.has('maintainers')) {
    const ids = maintainerIds(doc);
    const maintainers = ids.map((id) => ctx.members.get(id)).filter((m): m is MemberRow => m !== undefined);
    rep.maintainers = { totalCount: maintainers.length, items: maintainers.slice(0, 20).map(memberSummary), _links: { self: link(`${self}/maintainers?limit=20`) } };
  }
  return rep;
}

/** TeamCustomRoles: a page of the team's roles, each with the projects it reaches and when the team was given it. */
export function teamRoles(row: TeamRow, roles: readonly CustomRoleRow[], projects: TeamContext['projects'], page: { offset: number; limit: number }): Record<string, unknown> {
  const doc = teamDoc(row);
  return {
    totalCount: roles.length,
    items: roles.slice(page.offset, page.offset + page.limit).map((role) => ({
      key: role.key,
      name: roleDoc(role).name,
      projects: projectSummaries(projectsOf(role, projects, doc.roleAttributes)),
      appliedOn: doc.roleAppliedOn[role.id] ?? row.created_at,
    })),
    _links: { self: link(`/api/v2/teams/${encodeURIComponent(row.key)}/roles?limit=${page.limit}`) },
  };
}

/** MemberTeamSummaryRep: a team as a member shows it. */
export function teamSummary(row: TeamRow, roleKeys: ReadonlyMap<string, string>): Record<string, unknown> {
  const doc = teamDoc(row);
  return {
    customRoleKeys: doc.customRoleIds.map((id) => roleKeys.get(id)).filter((k): k is string => k !== undefined),
    key: row.key,
    _links: { self: link(`/api/v2/teams/${encodeURIComponent(row.key)}`) },
    name: doc.name,
  };
}

/**
 * Each member's teams as MemberTeamSummaryReps and the permission grants teams give it
 * (MemberPermissionGrantSummaryRep, `resource: team/<key>`), by member id (members on no team and granted nothing are
 * absent).
 */
export async function teamsByMember(db: Db | Trx): Promise<Map<string, MemberTeams>> {
  const teams = await allTeams(db);
  const out = new Map<string, MemberTeams>();
  if (teams.length === 0) return out;
  const of = (id: string) => out.get(id) ?? out.set(id, { teams: [], permissionGrants: [] }).get(id)!;
  const roleKeys = new Map((await db.selectFrom('custom_roles').select(['id', 'key']).execute()).map((r) => [r.id, r.key]));
  for (const team of teams) {
    const summary = teamSummary(team, roleKeys);
    const doc = teamDoc(team);
    for (const id of doc.memberIds) of(id).teams.push(summary);
    for (const grant of doc.permissionGrants) {
      const rep = { ...(grant.actionSet !== undefined ? { actionSet: grant.actionSet } : {}), ...(grant.actions !== undefined ? { actions: grant.actions } : {}), resource: `team/${team.key}` };
      for (const id of new Set(grant.memberIds)) of(id).permissionGrants.push(rep);
    }
  }
  return out;
}
