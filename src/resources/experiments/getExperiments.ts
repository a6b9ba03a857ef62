// GET …/environments/{environmentKey}/experiments — experiments of one environment (filter, expand, lifecycleState, paging).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { listExperiments } from './listExperiments.js';

export function getExperiments(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string } }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/experiments',
    async (request, reply) =>
      deps.responses.serve(request, reply, async () => {
        const { projectKey, environmentKey } = request.params;
        const { project, environment } = await findProjectEnvironment(deps.store.db, projectKey, environmentKey);
        const value = await listExperiments(
          deps,
          { projectId: project.id, projectKey, environmentId: environment.id, path: `/api/v2/projects/${projectKey}/environments/${environmentKey}/experiments` },
          request.query as Record<string, unknown>,
        );
        return { projectId: project.id, value };
      }),
  );
}
