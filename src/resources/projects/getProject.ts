// GET /api/v2/projects/{projectKey} — one project; `expand=environments` adds its environments.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readExpand } from '../../http/links.js';
import { apiVersionOf } from '../../http/apiVersion.js';
import { listEnvironments } from '../environments/environments.js';
import { environmentsCollection } from './getProjects.js';
import { findProject, representProject } from './projects.js';

export function getProject(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey', async (request) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    const expand = readExpand(request.query as Record<string, unknown>);
    // Before API version 20220603 a project always carried its environments.
    const envs = expand.has('environments') || apiVersionOf(request) < 20220603 ? environmentsCollection(project.key, await listEnvironments(deps.store.db, project.id)) : undefined;
    return representProject(project, envs);
  });
}
