// The account's members: the owner, created on first start, on whose behalf tokens act, and the members invited
// through the API (records with roles, which maintain resources; they have no tokens, as no API makes a token for
// another member).
import { Type } from '@sinclair/typebox';
import type { Db, Store, Trx } from '../../store/db.js';
import { teamDoc, type TeamRow } from '../teams/model.js';
import { objectId } from '../../store/ids.js';
import { statement } from '../../store/statements.js';
import { link } from '../../http/links.js';
import { validationFailed } from '../../http/errors.js';

export interface MemberDoc {
  firstName: string;
  lastName: string;
  /** The base role: owner, admin, writer, reader or no_access. */
  role: string;
  /** The custom roles' ids, beside the base role. */
  customRoleIds?: string[];
  /** Role attributes: values the custom roles' `${roleAttribute/…}` placeholders take. */
  roleAttributes?: Record<string, string[]>;
  /** Invited through the API and never signed in (iterlab has no sign-in, so it stays true). */
  pendingInvite?: boolean;
  /** 1 when created, one more for every change. */
  version?: number;
}

export function memberDoc(member: MemberRow): MemberDoc {
  return JSON.parse(member.doc) as MemberDoc;
}

export interface MemberRow {
  id: string;
  email: string;
  doc: string;
  created_at: number;
}

export const OWNER_EMAIL = 'owner@iterlab.local';

/** The account owner, created on first start; its id doubles as the account id. */
export async function ensureOwner(db: Db | Trx, now: number): Promise<MemberRow> {
  const existing = await db.selectFrom('members').selectAll().orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
  if (existing) return existing;
  const row: MemberRow = {
    id: objectId(now),
    email: OWNER_EMAIL,
    doc: JSON.stringify({ firstName: 'iterlab', lastName: 'Owner', role: 'owner' } satisfies MemberDoc),
    created_at: now,
  };
  await db.insertInto('members').values(row).onConflict((oc) => oc.column('email').doNothing()).execute();
  return (await db.selectFrom('members').selectAll().where('email', '=', OWNER_EMAIL).executeTakeFirstOrThrow()) as MemberRow;
}

// Every flag write looks up its maintainer: written once as SQL (statements.ts says why).
const memberById = statement<MemberRow>('select * from "members" where "id" = ?');

export async function findMember(db: Db | Trx, id: string): Promise<MemberRow | undefined> {
  const [row] = await memberById.run(db, [id]);
  return row;
}

/** The member a request names (a maintainer), or a 400 naming `attribute`. */
export async function requireMember(db: Db | Trx, id: string, attribute: string): Promise<MemberRow> {
  const member = await findMember(db, id);
  if (!member) throw validationFailed([{ attribute, reason: `no member has the ID "${id}"` }]);
  return member;
}

/** A member inside a write, locked on PostgreSQL until commit. */
export async function lockMember(trx: Trx, store: Pick<Store, 'kind'>, id: string): Promise<MemberRow | undefined> {
  let query = trx.selectFrom('members').selectAll().where('id', '=', id);
  if (store.kind === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

/** The members with these ids, by id (absent ids are simply missing from the map). */
export async function findMembers(db: Db | Trx, ids: string[]): Promise<Map<string, MemberRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('members').selectAll().where('id', 'in', unique).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

/** MemberSummary: how flags, metrics and groups name their maintainer. */
export function memberSummary(member: MemberRow): Record<string, unknown> {
  const doc = JSON.parse(member.doc) as MemberDoc;
  return {
    _links: { self: link(`/api/v2/members/${member.id}`) },
    _id: member.id,
    firstName: doc.firstName,
    lastName: doc.lastName,
    role: doc.role,
    email: member.email,
  };
}

/** When the member was last seen: never for an invitation (iterlab has no sign-in); the owner when the store was made. */
export function lastSeenOf(member: MemberRow, doc: MemberDoc): number | undefined {
  return doc.pendingInvite ? undefined : member.created_at;
}

/** Whether the text is in the member's email or names, without case (the `query` filters). */
export function matchesQuery(member: MemberRow, doc: MemberDoc, text: string): boolean {
  const query = text.toLowerCase();
  return [member.email, doc.firstName, doc.lastName].some((field) => field.toLowerCase().includes(query));
}

/**
 * What a member shows of the teams: `teams` its MemberTeamSummaryReps, `permissionGrants` the
 * MemberPermissionGrantSummaryReps teams grant it (a team maintainer's `maintainTeam` among them).
 */
export interface MemberTeams {
  teams: Record<string, unknown>[];
  permissionGrants: Record<string, unknown>[];
}

/** The whole Member: the summary, and what only the members API shows (`teams`: see MemberTeams). */
export function representMember(member: MemberRow, teams?: MemberTeams): Record<string, unknown> {
  const doc = memberDoc(member);
  return {
    ...memberSummary(member),
    _pendingInvite: doc.pendingInvite === true,
    _verified: doc.pendingInvite !== true,
    customRoles: doc.customRoleIds ?? [],
    mfa: 'disabled',
    // 2026-07: iterlab has no sign-in, so no member has a password, and multi-factor authentication is never enforced
    // (hence no grace period: `mfaGracePeriodExpiresAt` is left out).
    hasPassword: false,
    mfaEnforced: false,
    // A member never seen shows 0.
    _lastSeen: lastSeenOf(member, doc) ?? 0,
    creationDate: member.created_at,
    // Optional in LaunchDarkly's Member, and left out when the member has none (patchMember still edits it as {}).
    ...(doc.roleAttributes && Object.keys(doc.roleAttributes).length > 0 ? { roleAttributes: doc.roleAttributes } : {}),
    teams: teams?.teams ?? [],
    // Optional in LaunchDarkly's Member: shown when some team grants the member actions on it.
    ...(teams && teams.permissionGrants.length > 0 ? { permissionGrants: teams.permissionGrants } : {}),
    version: doc.version ?? 1,
  };
}

/** For each custom role's id, how many members and teams hold it (CustomRole.assignedTo). */
export async function roleHolders(db: Db | Trx): Promise<Map<string, { membersCount: number; teamsCount: number }>> {
  const counts = new Map<string, { membersCount: number; teamsCount: number }>();
  const count = (id: string) => counts.get(id) ?? counts.set(id, { membersCount: 0, teamsCount: 0 }).get(id)!;
  for (const row of await db.selectFrom('members').select('doc').execute()) {
    for (const id of (JSON.parse(row.doc) as MemberDoc).customRoleIds ?? []) count(id).membersCount += 1;
  }
  for (const row of await db.selectFrom('teams').selectAll().execute()) for (const id of teamDoc(row).customRoleIds) count(id).teamsCount += 1;
  return counts;
}

/** Custom role keys to ids, for filters that name roles by key. */
export async function roleIdsByKey(db: Db | Trx): Promise<Map<string, string>> {
  return new Map((await db.selectFrom('custom_roles').select(['id', 'key']).execute()).map((r) => [r.key, r.id]));
}

/** The ids of the members who hold a custom role, in id order. */
export async function membersHolding(db: Db | Trx, roleId: string): Promise<string[]> {
  const rows = await db.selectFrom('members').select(['id', 'doc']).orderBy('id').execute();
  return rows.filter((row) => (JSON.parse(row.doc) as MemberDoc).customRoleIds?.includes(roleId)).map((row) => row.id);
}

const LastSeen = Type.Object({ never: Type.Optional(Type.Boolean()), noData: Type.Optional(Type.Boolean()), before: Type.Optional(Type.Number()) });

/** The filters of the replaceAll… and addAllMembersToTeams instructions: a member matching any is left out. */
export const MemberFilters = {
  filterLastSeen: Type.Optional(LastSeen),
  filterQuery: Type.Optional(Type.String()),
  filterRoles: Type.Optional(Type.String()),
  filterTeamKey: Type.Optional(Type.String()),
  ignoredMemberIDs: Type.Optional(Type.Array(Type.String())),
};

export interface MemberFilter {
  filterLastSeen?: { never?: boolean; noData?: boolean; before?: number };
  filterQuery?: string;
  filterRoles?: string;
  filterTeamKey?: string;
  ignoredMemberIDs?: string[];
}

/** Whether a filter leaves the member out; `roleIds` maps custom role keys to ids. */
export function memberFilterExcludes(row: MemberRow, doc: MemberDoc, f: MemberFilter, teams: readonly TeamRow[], roleIds: ReadonlyMap<string, string>): boolean {
  if (f.ignoredMemberIDs?.includes(row.id)) return true;
  if (f.filterQuery && matchesQuery(row, doc, f.filterQuery)) return true;
  // "For the purposes of this filtering, Owner counts as Admin"; custom roles match by key or id.
  const roles = f.filterRoles?.split('|').filter(Boolean);
  if (roles && roles.some((r) => r === (doc.role === 'owner' ? 'admin' : doc.role) || doc.customRoleIds?.includes(roleIds.get(r) ?? r))) return true;
  const team = f.filterTeamKey?.toLowerCase();
  if (team && teams.some((t) => t.key.toLowerCase() === team && teamDoc(t).memberIds.includes(row.id))) return true;
  const seen = lastSeenOf(row, doc);
  if (f.filterLastSeen?.never && seen === undefined) return true;
  if (f.filterLastSeen?.before !== undefined && (seen === undefined || seen < f.filterLastSeen.before)) return true;
  return false;
}
