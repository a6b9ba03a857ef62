// GET /api/v2/projects/{projectKey}/flag-defaults — what a new flag of the project gets for what its create omits.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { flagDefaultsOf, representFlagDefaults } from './flagDefaults.js';
import { findProject, type ProjectDoc } from './projects.js';

export function getFlagDefaultsByProject(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey/flag-defaults', async (request) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    return representFlagDefaults(project.key, flagDefaultsOf(JSON.parse(project.doc) as ProjectDoc));
  });
}
