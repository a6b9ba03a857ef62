// GET /api/v2/projects/{projectKey}/environments/{environmentKey}/sdk-keys/{sdkKeyKey} (beta) — one SDK key, with its
// value (as getEnvironment shows the environment's own keys to every role), expired or not.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findEnvironment } from '../environments/environments.js';
import { findProject } from '../projects/projects.js';
import { findSdkKey } from './model.js';
import { representSdkKey } from './represent.js';

export function getSdkKeyByKey(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string; sdkKeyKey: string } }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/sdk-keys/:sdkKeyKey',
    { config: { beta: true } },
    async (request) => {
      const { projectKey, environmentKey, sdkKeyKey } = request.params;
      const project = await findProject(deps.store.db, projectKey);
      const env = await findEnvironment(deps.store.db, project.id, project.key, environmentKey);
      return representSdkKey(project.key, env.key, await findSdkKey(deps.store.db, env, project.key, sdkKeyKey));
    },
  );
}
