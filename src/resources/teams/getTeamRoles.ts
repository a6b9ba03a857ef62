// GET /api/v2/teams/{teamKey}/roles — the custom roles given to the team, 20 a page: each with the projects its
// allow statements reach and when the team was given it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readPage } from '../../http/links.js';
import { rolesById } from '../custom-roles/model.js';
import { findTeam, teamDoc } from './model.js';
import { byText } from '../../store/reads.js';
import { teamRoles } from './represent.js';

export function getTeamRoles(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { teamKey: string } }>('/api/v2/teams/:teamKey/roles', async (request) => {
    const page = readPage(request.query as Record<string, unknown>, 20);
    const row = await findTeam(deps.store.db, request.params.teamKey);
    const roles = await rolesById(deps.store.db, teamDoc(row).customRoleIds);
    const projects = byText(await deps.store.db.selectFrom('projects').select(['id', 'key', 'name']).execute(), 'key');
    return teamRoles(row, roles, projects, page);
  });
}
