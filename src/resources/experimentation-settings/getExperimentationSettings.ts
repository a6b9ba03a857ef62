// GET /api/v2/projects/{projectKey}/experimentation-settings — the project's randomization units.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { contextKindNames, loadSettings, representSettings } from './settings.js';

export function getExperimentationSettings(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey/experimentation-settings', async (request) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    const settings = await loadSettings(deps.store.db, project.id);
    return representSettings(project.id, project.key, settings.doc, settings.createdAt, await contextKindNames(deps.store.db, project.id));
  });
}
