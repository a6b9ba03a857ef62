// GET /api/v2/destinations — every Data Export destination of every project and environment the caller may view,
// oldest first, secrets masked.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { projectViewer } from '../custom-roles/access.js';
import { DESTINATIONS_URL } from './model.js';
import { representDestination, representDestinations } from './represent.js';

export function getDestinations(app: FastifyInstance, deps: Deps): void {
  app.get(DESTINATIONS_URL, async (request) => {
    const db = deps.store.db;
    const views = await projectViewer(db, request.actor);
    const rows = await db
      .selectFrom('destinations as d')
      .innerJoin('environments as e', 'e.id', 'd.environment_id')
      .innerJoin('projects as p', 'p.id', 'e.project_id')
      .selectAll('d')
      .select(['p.key as projectKey', 'e.key as environmentKey'])
      .orderBy('d.created_at')
      .orderBy('d.id')
      .execute();
    const shown = rows.filter((row) => !views || views(row.projectKey));
    return representDestinations(shown.map(({ projectKey, environmentKey, ...row }) => representDestination(row, { projectKey, environmentKey })));
  });
}
