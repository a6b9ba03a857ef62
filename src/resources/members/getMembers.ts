// GET /api/v2/members — the account's members: filter by query, role (base or custom), id, email, team, noteam and
// lastSeen; sort by email, displayName or lastSeen; pages of 20.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { invalidRequest } from '../../http/errors.js';
import { compareFields, parseFilter, parseSortList } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { teamsByMember } from '../teams/represent.js';
import { lastSeenOf, matchesQuery, memberDoc, representMember, roleIdsByKey, type MemberDoc, type MemberRow, type MemberTeams } from './members.js';

/** `lastSeen:{"never":true}`, `{"noData":true}` or `{"before":<epoch ms>}`. */
function readLastSeen(text: string | undefined): { never?: boolean; noData?: boolean; before?: number } | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as { never?: boolean; noData?: boolean; before?: number };
  } catch {
    // falls through to the 400
  }
  throw invalidRequest('lastSeen must be {"never":true}, {"noData":true} or {"before":<epoch milliseconds>}', 'filter');
}

/**
 * Terraform's team member data sources escape the email they look for (`query:` + Go's url.QueryEscape) before the
 * client encodes the whole parameter: a value is read with its percent-escapes decoded, or as written when it holds
 * none that decode.
 */
function unescaped(value: string | undefined): string | undefined {
  if (value === undefined || !value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function matches(member: MemberRow, doc: MemberDoc, filter: Map<string, string>, roleIds: Map<string, string>, teams: ReadonlyMap<string, MemberTeams>): boolean {
  const query = unescaped(filter.get('query'));
  if (query && !matchesQuery(member, doc, query)) return false;
  // "Owner counts as Admin"; a custom role is named by its key (or id).
  const roles = filter.get('role')?.split('|').filter(Boolean);
  const base = doc.role === 'owner' ? ['owner', 'admin'] : [doc.role];
  if (roles && !roles.some((r) => base.includes(r) || (doc.customRoleIds ?? []).includes(roleIds.get(r) ?? r))) return false;
  const ids = filter.get('id')?.split('|');
  if (ids && !ids.includes(member.id)) return false;
  const emails = unescaped(filter.get('email'))?.toLowerCase().split('|');
  if (emails && !emails.includes(member.email.toLowerCase())) return false;
  const keys = (teams.get(member.id)?.teams ?? []).map((t) => String(t.key).toLowerCase());
  const team = filter.get('team')?.toLowerCase();
  if (team !== undefined && !keys.includes(team)) return false;
  if (filter.get('noteam') === 'true' && keys.length > 0) return false;
  if (filter.get('noteam') === 'false' && keys.length === 0) return false;
  const lastSeen = readLastSeen(filter.get('lastSeen'));
  const seen = lastSeenOf(member, doc);
  if (lastSeen?.never && seen !== undefined) return false;
  if (lastSeen?.noData) return false;
  if (lastSeen?.before !== undefined && seen !== undefined && seen >= lastSeen.before) return false;
  return true;
}

export function getMembers(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/members', async (request) => {
    const query = request.query as Record<string, unknown>;
    const page = readPage(query, 20);
    const filter = parseFilter(query.filter, ['query', 'role', 'id', 'email', 'team', 'noteam', 'lastSeen']);
    const sort = parseSortList(query.sort, ['displayName', 'email', 'lastSeen'], 'email');
    const db = deps.store.db;
    const roleIds = await roleIdsByKey(db);
    const teams = await teamsByMember(db);
    const members = (await db.selectFrom('members').selectAll().execute()).map((row) => ({ row, doc: memberDoc(row) })).filter(({ row, doc }) => matches(row, doc, filter, roleIds, teams));
    const name = ({ row, doc }: { row: MemberRow; doc: MemberDoc }) => `${doc.firstName} ${doc.lastName}`.trim() || row.email;
    const seen = ({ row, doc }: { row: MemberRow; doc: MemberDoc }) => lastSeenOf(row, doc) ?? 0;
    type Listed = (typeof members)[number];
    const compare = (a: Listed, b: Listed, field: 'displayName' | 'email' | 'lastSeen') =>
      field === 'displayName' ? name(a).localeCompare(name(b)) : field === 'lastSeen' ? seen(a) - seen(b) : a.row.email.localeCompare(b.row.email);
    members.sort(compareFields(sort, compare, (a, b) => (sort[0].field === 'lastSeen' ? a.row.id.localeCompare(b.row.id) : a.row.email.localeCompare(b.row.email))));
    return {
      items: members.slice(page.offset, page.offset + page.limit).map(({ row }) => representMember(row, teams.get(row.id))),
      _links: pageLinks('/api/v2/members', page, members.length, { filter: query.filter as string | undefined, sort: query.sort as string | undefined }),
      totalCount: members.length,
    };
  });
}
