// GET /api/v2/members — the account's members: filter query/role, sort, pages of 20.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseFilter, parseSort } from '../../http/filter.js';
import { pageLinks, readPage } from '../../http/links.js';
import { representMember, type MemberDoc, type MemberRow } from './members.js';

function matches(member: MemberRow, filter: Map<string, string>): boolean {
  const doc = JSON.parse(member.doc) as MemberDoc;
  const query = filter.get('query')?.toLowerCase();
  if (query && ![member.email, doc.firstName, doc.lastName].some((text) => text.toLowerCase().includes(query))) return false;
  const roles = filter.get('role')?.split('|').filter(Boolean);
  if (roles && !roles.includes(doc.role)) return false;
  return true;
}

export function getMembers(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/members', async (request) => {
    const query = request.query as Record<string, unknown>;
    const page = readPage(query, 20);
    const filter = parseFilter(query.filter, ['query', 'role']);
    const sort = parseSort(query.sort, ['displayName', 'email', 'lastSeen'], 'email');
    const members = (await deps.store.db.selectFrom('members').selectAll().execute()).filter((m) => matches(m, filter));
    const name = (m: MemberRow) => {
      const doc = JSON.parse(m.doc) as MemberDoc;
      return `${doc.firstName} ${doc.lastName}`;
    };
    members.sort((a, b) =>
      sort.field === 'displayName' ? name(a).localeCompare(name(b)) || a.email.localeCompare(b.email)
      : sort.field === 'lastSeen' ? a.created_at - b.created_at || a.id.localeCompare(b.id)
      : a.email.localeCompare(b.email),
    );
    if (sort.descending) members.reverse();
    return {
      items: members.slice(page.offset, page.offset + page.limit).map(representMember),
      _links: pageLinks('/api/v2/members', page, members.length, { filter: query.filter as string | undefined, sort: query.sort as string | undefined }),
      totalCount: members.length,
    };
  });
}
