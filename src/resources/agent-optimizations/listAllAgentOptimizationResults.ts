// GET /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey}/all-results — every result of every run,
// across all versions of the optimization, newest first, in pages of 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readPage } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { findOptimization, newestFirst, optimizationResults } from './model.js';
import { optimizationPath, representResults } from './represent.js';

export function listAllAgentOptimizationResults(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; optimizationKey: string }; Querystring: Record<string, unknown> }>(`${optimizationPath(':projectKey', ':optimizationKey')}/all-results`, async (request) => {
    const page = readPage(request.query, 20);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const optimization = await findOptimization(db, project.id, request.params.optimizationKey);
    const results = (await optimizationResults(db, optimization.id)).sort(newestFirst);
    return representResults(project.key, optimization, `${optimizationPath(project.key, optimization.key)}/all-results`, results, page);
  });
}
