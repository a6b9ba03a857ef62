// The account's members. iterlab has one account with one owner member; tokens act on its behalf.
import type { Db, Trx } from '../../store/db.js';
import { objectId } from '../../store/ids.js';
import { statement } from '../../store/statements.js';
import { link } from '../../http/links.js';
import { validationFailed } from '../../http/errors.js';

export interface MemberDoc {
  firstName: string;
  lastName: string;
  role: string;
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

/** The whole Member: the summary, and what only the members API shows. */
export function representMember(member: MemberRow): Record<string, unknown> {
  return {
    ...memberSummary(member),
    _pendingInvite: false,
    _verified: true,
    customRoles: [],
    mfa: 'disabled',
    _lastSeen: member.created_at,
    creationDate: member.created_at,
  };
}
