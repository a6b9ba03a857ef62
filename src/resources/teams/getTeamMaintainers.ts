// GET /api/v2/teams/{teamKey}/maintainers — the members granted `maintainTeam` on the team, 20 a page.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { pageLinks, readPage } from '../../http/links.js';
import { findMembers, memberSummary, type MemberRow } from '../members/members.js';
import { findTeam, maintainerIds, teamDoc } from './model.js';

export function getTeamMaintainers(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { teamKey: string } }>('/api/v2/teams/:teamKey/maintainers', async (request) => {
    const page = readPage(request.query as Record<string, unknown>, 20);
    const row = await findTeam(deps.store.db, request.params.teamKey);
    const ids = maintainerIds(teamDoc(row));
    const members = await findMembers(deps.store.db, ids);
    const maintainers = ids.map((id) => members.get(id)).filter((m): m is MemberRow => m !== undefined);
    return {
      totalCount: maintainers.length,
      items: maintainers.slice(page.offset, page.offset + page.limit).map(memberSummary),
      _links: pageLinks(`/api/v2/teams/${encodeURIComponent(row.key)}/maintainers`, page, maintainers.length),
    };
  });
}
