// GET /api/v2/projects/{projectKey}/experiments — experiments of every environment of a project.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { listExperiments } from './listExperiments.js';

export function getExperimentsAnyEnv(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey/experiments', async (request, reply) =>
    deps.responses.serve(request, reply, async () => {
      const project = await findProject(deps.store.db, request.params.projectKey);
      const value = await listExperiments(
        deps,
        { projectId: project.id, projectKey: project.key, path: `/api/v2/projects/${project.key}/experiments` },
        request.query as Record<string, unknown>,
      );
      return { projectId: project.id, value };
    }),
  );
}
