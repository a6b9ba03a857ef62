// GET /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey}/runs — one summary per run, across all
// versions of the optimization, newest run first (by its first result), in pages of 20 by default. A run's state is
// its result updated last.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readPage } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { findOptimization, optimizationResults, runsOf } from './model.js';
import { optimizationPath, representRuns } from './represent.js';

export function listAgentOptimizationRuns(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; optimizationKey: string }; Querystring: Record<string, unknown> }>(`${optimizationPath(':projectKey', ':optimizationKey')}/runs`, async (request) => {
    const page = readPage(request.query, 20);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const optimization = await findOptimization(db, project.id, request.params.optimizationKey);
    return representRuns(project.key, optimization, page, runsOf(await optimizationResults(db, optimization.id)));
  });
}
