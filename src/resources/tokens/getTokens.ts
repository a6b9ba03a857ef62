// GET /api/v2/tokens — list access tokens (admin), newest first, 25 a page.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam } from '../../http/filter.js';
import { pageLinks } from '../../http/links.js';
import { readVersionedPage, settlePage } from '../../http/apiVersion.js';
import { findMembers } from '../members/members.js';
import { representToken } from './represent.js';

export function getTokens(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/tokens', { config: { role: 'admin' } }, async (request) => {
    const query = request.query as Record<string, unknown>;
    // showAll asks an admin's list for every member's personal tokens: an admin's list has them all already.
    parseBooleanParam(query.showAll, 'showAll');
    // API version 20240415 paginated this list, 25 a page.
    const requested = readVersionedPage(request, query, 25, 20240415);
    const total = Number((await deps.store.db.selectFrom('tokens').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const page = settlePage(requested, total);
    const rows = await deps.store.db.selectFrom('tokens').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute();
    const members = await findMembers(deps.store.db, rows.map((row) => row.member_id));
    return {
      items: rows.map((row) => representToken(row, deps.accountId, undefined, deps.tokenUsage.unwritten(row.id), members.get(row.member_id))),
      _links: pageLinks('/api/v2/tokens', page, total, { showAll: query.showAll as string | undefined }),
      totalCount: total,
    };
  });
}
