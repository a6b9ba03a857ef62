// GET /api/v2/roles — list the custom roles, oldest first; paginated (20 a page) from API version 20240415 on.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readVersionedPage, settlePage } from '../../http/apiVersion.js';
import { pageLinks } from '../../http/links.js';
import { roleHolders } from '../members/members.js';
import { representRole } from './represent.js';

export function getCustomRoles(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/roles', async (request) => {
    const query = request.query as Record<string, unknown>;
    const requested = readVersionedPage(request, query, 20, 20240415);
    const db = deps.store.db;
    const total = Number((await db.selectFrom('custom_roles').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const page = settlePage(requested, total);
    const rows = await db.selectFrom('custom_roles').selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute();
    const holders = await roleHolders(db);
    return {
      items: rows.map((row) => representRole(row, holders.get(row.id))),
      _links: pageLinks('/api/v2/roles', page, total),
      totalCount: total,
    };
  });
}
