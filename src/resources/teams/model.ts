// Teams: a key, a name, members, the custom roles its members are granted, role attributes, and permission grants
// (team maintainers among them). Stored one row per team; members and roles are named by id in its doc.
import { notFound, validationFailed } from '../../http/errors.js';
import type { Db, Store, Trx } from '../../store/db.js';
import { byText } from '../../store/reads.js';

/** patchTeam's instructions' actions (LaunchDarkly's team actions): what a custom role must allow, and the audit's. */
export const TEAM_INSTRUCTION_ACTIONS: Record<string, string> = {
  updateName: 'updateTeamName',
  updateDescription: 'updateTeamDescription',
  addCustomRoles: 'updateTeamCustomRoles',
  removeCustomRoles: 'updateTeamCustomRoles',
  addMembers: 'updateTeamMembers',
  removeMembers: 'updateTeamMembers',
  replaceMembers: 'updateTeamMembers',
  addPermissionGrants: 'updateTeamPermissionGrants',
  removePermissionGrants: 'updateTeamPermissionGrants',
  addRoleAttribute: 'updateTeamRoleAttributes',
  updateRoleAttribute: 'updateTeamRoleAttributes',
  removeRoleAttribute: 'updateTeamRoleAttributes',
  replaceRoleAttributes: 'updateTeamRoleAttributes',
};

export interface PermissionGrant {
  /** `maintainTeam`, or a list of actions, never both. */
  actionSet?: string;
  actions?: string[];
  memberIds: string[];
}

export interface TeamDoc {
  name: string;
  description?: string;
  customRoleIds: string[];
  /** When each custom role was given to the team (TeamCustomRole.appliedOn), by role id. */
  roleAppliedOn: Record<string, number>;
  roleAttributes: Record<string, string[]>;
  memberIds: string[];
  permissionGrants: PermissionGrant[];
  version: number;
}

export interface TeamRow {
  id: string;
  key: string;
  doc: string;
  created_at: number;
  last_modified: number;
}

export function teamDoc(row: TeamRow): TeamDoc {
  return JSON.parse(row.doc) as TeamDoc;
}

export async function teamByKey(db: Db | Trx, key: string, lock?: Pick<Store, 'kind'>): Promise<TeamRow | undefined> {
  let query = db.selectFrom('teams').selectAll().where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

/** A team by key (404 naming it when there is none); locked until commit on PostgreSQL when `lock` names the store. */
export async function findTeam(db: Db | Trx, key: string, lock?: Pick<Store, 'kind'>): Promise<TeamRow> {
  const row = await teamByKey(db, key, lock);
  if (!row) throw notFound(`Team "${key}"`);
  return row;
}

/** The team a request names (a maintainer), or a 400 naming `attribute`. */
export async function requireTeam(db: Db | Trx, key: string, attribute: string): Promise<TeamRow> {
  const row = await teamByKey(db, key);
  if (!row) throw validationFailed([{ attribute, reason: `no team has the key "${key}"` }]);
  return row;
}

/** Every team, by key (in code-unit order, whatever the database's collation: sorted here). */
export async function allTeams(db: Db | Trx): Promise<TeamRow[]> {
  return byText(await db.selectFrom('teams').selectAll().execute(), 'key');
}

/** The teams a member is on, by key. */
export async function teamsOfMember(db: Db | Trx, memberId: string): Promise<TeamRow[]> {
  return (await allTeams(db)).filter((row) => teamDoc(row).memberIds.includes(memberId));
}

/** The members who maintain the team: those granted the `maintainTeam` action set. */
export function maintainerIds(doc: TeamDoc): string[] {
  return [...new Set(doc.permissionGrants.filter((g) => g.actionSet === 'maintainTeam').flatMap((g) => g.memberIds))];
}

/** The keys of the teams that hold a custom role. */
export async function teamsHolding(db: Db | Trx, roleId: string): Promise<string[]> {
  return (await allTeams(db)).filter((row) => teamDoc(row).customRoleIds.includes(roleId)).map((row) => row.key);
}
