// GET /api/v2/teams/{teamKey} — one team; `expand`: members (count), roles, roleAttributes, projects, maintainers.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readExpand } from '../../http/links.js';
import { findTeam } from './model.js';
import { loadTeamContext, representTeam } from './represent.js';

export function getTeam(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { teamKey: string } }>('/api/v2/teams/:teamKey', async (request) => {
    const row = await findTeam(deps.store.db, request.params.teamKey);
    const expand = readExpand(request.query as Record<string, unknown>);
    return representTeam(row, expand, await loadTeamContext(deps.store.db, [row], expand));
  });
}
