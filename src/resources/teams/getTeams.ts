// GET /api/v2/teams — the account's teams by key, 20 a page (at most 100 from API version 20240415): `filter` query
// (name or key) and nomembers; `expand` as getTeam, but for `projects` and `roles`, which 20240415 took out of the list.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseFilter } from '../../http/filter.js';
import { apiVersionOf } from '../../http/apiVersion.js';
import { pageLinks, readExpand, readPage } from '../../http/links.js';
import { allTeams, teamDoc } from './model.js';
import { loadTeamContext, representTeam } from './represent.js';

export function getTeams(app: FastifyInstance, deps: Deps): void {
  app.get('/api/v2/teams', async (request) => {
    const query = request.query as Record<string, unknown>;
    // API version 20240415: "the maximum page size is now 100"; "expand no longer supports projects or roles".
    const current = apiVersionOf(request) >= 20240415;
    const page = readPage(query, 20, current ? 100 : undefined);
    const filter = parseFilter(query.filter, ['query', 'nomembers']);
    const expand = readExpand(query);
    if (current) for (const dropped of ['projects', 'roles']) expand.delete(dropped);
    const text = filter.get('query')?.toLowerCase();
    const noMembers = filter.get('nomembers');
    const teams = (await allTeams(deps.store.db)).filter((row) => {
      const doc = teamDoc(row);
      if (text && !row.key.toLowerCase().includes(text) && !doc.name.toLowerCase().includes(text)) return false;
      if (noMembers === 'true' && doc.memberIds.length > 0) return false;
      if (noMembers === 'false' && doc.memberIds.length === 0) return false;
      return true;
    });
    const shown = teams.slice(page.offset, page.offset + page.limit);
    const ctx = await loadTeamContext(deps.store.db, shown, expand);
    return {
      items: shown.map((row) => representTeam(row, expand, ctx)),
      _links: pageLinks('/api/v2/teams', page, teams.length, { filter: query.filter as string | undefined, expand: query.expand as string | undefined }),
      totalCount: teams.length,
    };
  });
}
