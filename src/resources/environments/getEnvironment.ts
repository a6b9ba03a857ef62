// GET /api/v2/projects/{projectKey}/environments/{environmentKey} — one environment, with its SDK and mobile keys.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { findEnvironment, representEnvironment } from './environments.js';

export function getEnvironment(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string } }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey',
    async (request) => {
      const project = await findProject(deps.store.db, request.params.projectKey);
      const env = await findEnvironment(deps.store.db, project.id, project.key, request.params.environmentKey);
      return representEnvironment(project.key, env);
    },
  );
}
