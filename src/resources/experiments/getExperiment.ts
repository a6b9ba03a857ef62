// GET …/experiments/{experimentKey} — one experiment; `expand` adds draftIteration, previousIterations, treatments, secondaryMetrics.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readExpand } from '../../http/links.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { findExperiment, loadIterations } from './model.js';
import { representExperiment } from './represent.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  experimentKey: string;
}

export function getExperiment(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/experiments/:experimentKey', async (request, reply) =>
    deps.responses.serve(request, reply, async () => {
      const { projectKey, environmentKey, experimentKey } = request.params;
      const expand = readExpand(request.query as Record<string, unknown>);
      const db = deps.store.db;
      const { project, environment } = await findProjectEnvironment(db, projectKey, environmentKey);
      const row = await findExperiment(db, deps.store, environment.id, experimentKey, { projectKey, environmentKey });
      const iterations = (await loadIterations(db, [row.id], expand.has('previousIterations'))).get(row.id)!;
      return { projectId: project.id, value: representExperiment(projectKey, environmentKey, row, iterations, expand) };
    }),
  );
}
