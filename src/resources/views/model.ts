// Views as stored: a project's named group of flags and segments (ViewDoc beside the key and name), the bodies that
// create and change one, the lookups that 404 naming what is missing, and the maintainers views and flags name.
import { Type, type Static } from '@sinclair/typebox';
import { notFound, validationFailed, type FieldError } from '../../http/errors.js';
import { Key, Name, Tags } from '../../http/schemas.js';
import type { Db, Store, Trx } from '../../store/db.js';
import type { ViewsTable } from '../../store/schema.js';
import { findMembers, type MemberRow } from '../members/members.js';
import { teamDoc, type TeamRow } from '../teams/model.js';

export type ViewRow = ViewsTable;

export interface ViewDoc {
  description: string;
  /** Kept and shown (2026-07 dropped it from the request bodies; older clients still send it); iterlab makes no SDK keys for views (docs/compatibility.md). */
  generateSdkKeys: boolean;
  tags: string[];
  /** A member or a team maintains a view, never both. */
  maintainerId?: string;
  maintainerTeamKey?: string;
  archived: boolean;
  archivedAt?: number;
  /** 1 when created, one more for every change. */
  version: number;
  updatedAt: number;
}

export function viewDoc(row: Pick<ViewRow, 'doc'>): ViewDoc {
  return JSON.parse(row.doc) as ViewDoc;
}

/** As long as a flag's description may be. */
const Description = Type.String({ maxLength: 8192 });
const MaintainerId = Type.String({ minLength: 1, maxLength: 256 });

/** ViewPost: key and name required; description "" and generateSdkKeys false by default. */
export const ViewPost = Type.Object(
  {
    key: Key,
    name: Name,
    description: Type.Optional(Description),
    generateSdkKeys: Type.Optional(Type.Boolean()),
    maintainerId: Type.Optional(MaintainerId),
    maintainerTeamKey: Type.Optional(MaintainerId),
    tags: Type.Optional(Tags),
  },
  { additionalProperties: false },
);
export type ViewPost = Static<typeof ViewPost>;

/** What an updated view must still be (an empty maintainer names none). */
export const PatchedView = Type.Object({
  name: Name,
  description: Description,
  generateSdkKeys: Type.Boolean(),
  tags: Tags,
  archived: Type.Boolean(),
  maintainerId: Type.Optional(Type.String({ maxLength: 256 })),
  maintainerTeamKey: Type.Optional(Type.String({ maxLength: 256 })),
});

/** The members updateView may change; the rest of the representation may be tested or set to what it is. */
export const VIEW_PATCH_RULES = {
  writable: ['name', 'description', 'generateSdkKeys', 'tags', 'archived', 'maintainerId', 'maintainerTeamKey'],
  readOnly: ['_links', '_affectsSdkPayload', 'id', 'accountId', 'projectId', 'projectKey', 'key', 'version', 'createdAt', 'updatedAt', 'archivedAt', 'deleted', 'deletedAt', 'maintainer'],
};

/** A view of the project by key (404 naming it and its project); locked until commit on PostgreSQL when `lock` names the store. */
export async function findView(db: Db | Trx, project: { id: string; key: string }, key: string, lock?: Pick<Store, 'kind'>): Promise<ViewRow> {
  let query = db.selectFrom('views').selectAll().where('project_id', '=', project.id).where('key', '=', key);
  if (lock?.kind === 'postgres') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound(`View "${key}" in project "${project.key}"`);
  return row;
}

/**
 * The project's views `keys` name (each once, in the order named), for a body's `field`: a key naming no view is a
 * problem naming `field[i]`.
 */
export async function namedViews(db: Db | Trx, projectId: string, keys: readonly string[], field: string): Promise<{ views: ViewRow[]; problems: FieldError[] }> {
  const unique = [...new Set(keys)];
  const rows = unique.length === 0 ? [] : await db.selectFrom('views').selectAll().where('project_id', '=', projectId).where('key', 'in', unique).execute();
  const byKey = new Map(rows.map((row) => [row.key, row]));
  const problems: FieldError[] = [];
  keys.forEach((key, i) => {
    if (!byKey.has(key)) problems.push({ attribute: `${field}[${i}]`, reason: `there is no view "${key}" in this project` });
  });
  return { views: unique.flatMap((key) => byKey.get(key) ?? []), problems };
}

/** The project's views, by key. */
export async function listViews(db: Db | Trx, projectId: string): Promise<ViewRow[]> {
  return db.selectFrom('views').selectAll().where('project_id', '=', projectId).orderBy('key').execute();
}

/** A team of the account by key, undefined when there is none. */
async function teamByKey(db: Db | Trx, key: string): Promise<TeamRow | undefined> {
  return db.selectFrom('teams').selectAll().where('key', '=', key).executeTakeFirst();
}

/**
 * The maintainer a body names: a member by `maintainerId` or a team by `maintainerTeamKey`, not both; an empty one
 * names none. Problems are 400s naming the field.
 */
/** A body that names a member and a team to maintain a view (LaunchDarkly: "Only one ... can be specified"). */
export const ONE_MAINTAINER: FieldError = { attribute: 'maintainerTeamKey', reason: 'cannot be set with maintainerId: a view has one maintainer, a member or a team' };

export async function checkMaintainer(db: Db | Trx, maintainer: { maintainerId?: string; maintainerTeamKey?: string }): Promise<FieldError[]> {
  const { maintainerId, maintainerTeamKey } = maintainer;
  if (maintainerId && maintainerTeamKey) return [ONE_MAINTAINER];
  if (maintainerId && (await findMembers(db, [maintainerId])).size === 0) return [{ attribute: 'maintainerId', reason: `no member has the ID "${maintainerId}"` }];
  if (maintainerTeamKey && !(await teamByKey(db, maintainerTeamKey))) return [{ attribute: 'maintainerTeamKey', reason: `no team has the key "${maintainerTeamKey}"` }];
  return [];
}

export async function requireMaintainer(db: Db | Trx, maintainer: { maintainerId?: string; maintainerTeamKey?: string }): Promise<void> {
  const errors = await checkMaintainer(db, maintainer);
  if (errors.length > 0) throw validationFailed(errors);
}

/** A team as a maintainer is shown: its row, and the keys of its custom roles. */
interface MaintainerTeam {
  row: TeamRow;
  name: string;
  customRoleKeys: string[];
}

/** The members and teams that views and flags name as maintainers, looked up once for a whole answer. */
export interface Maintainers {
  members: Map<string, MemberRow>;
  teams: Map<string, MaintainerTeam>;
}

export async function loadMaintainers(db: Db | Trx, named: readonly { maintainerId?: string; maintainerTeamKey?: string }[]): Promise<Maintainers> {
  const members = await findMembers(db, named.flatMap((n) => (n.maintainerId ? [n.maintainerId] : [])));
  const teamKeys = [...new Set(named.flatMap((n) => (n.maintainerTeamKey ? [n.maintainerTeamKey] : [])))];
  const teams = new Map<string, MaintainerTeam>();
  if (teamKeys.length > 0) {
    const rows = await db.selectFrom('teams').selectAll().where('key', 'in', teamKeys).execute();
    const roleIds = [...new Set(rows.flatMap((row) => teamDoc(row).customRoleIds))];
    const roles = roleIds.length > 0 ? await db.selectFrom('custom_roles').select(['id', 'key']).where('id', 'in', roleIds).execute() : [];
    const keyOf = new Map(roles.map((role) => [role.id, role.key]));
    for (const row of rows) {
      const doc = teamDoc(row);
      teams.set(row.key, { row, name: doc.name, customRoleKeys: doc.customRoleIds.flatMap((id) => (keyOf.has(id) ? [keyOf.get(id)!] : [])) });
    }
  }
  return { members, teams };
}
