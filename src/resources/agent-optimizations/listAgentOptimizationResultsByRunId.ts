// GET /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey}/runs/{runId}/results — every result of one
// run, highest iteration first (the spec takes no paging here). A run with no results lists none; an ID that is no
// UUID is no run's (404).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { findOptimization, optimizationResults, pathUuid, runNotFound } from './model.js';
import { optimizationPath, representResults } from './represent.js';

export function listAgentOptimizationResultsByRunId(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; optimizationKey: string; runId: string } }>(`${optimizationPath(':projectKey', ':optimizationKey')}/runs/:runId/results`, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const optimization = await findOptimization(db, project.id, request.params.optimizationKey);
    const runId = pathUuid(request.params.runId);
    if (runId === undefined) throw runNotFound(request.params.runId, optimization);
    const results = (await optimizationResults(db, optimization.id, runId)).sort((a, b) => b.iteration - a.iteration);
    return representResults(project.key, optimization, `${optimizationPath(project.key, optimization.key)}/runs/${runId}/results`, results);
  });
}
