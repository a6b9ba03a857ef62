// GET /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey}/results — the most recent result (its
// highest iteration) of each run of the optimization's current version, newest run first, in pages of 20 by default.
// Runs of earlier versions are in all-results and runs.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readPage } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { findOptimization, optimizationResults, runsOf, type ResultRow } from './model.js';
import { optimizationPath, representResults } from './represent.js';

export function listAgentOptimizationResults(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; optimizationKey: string }; Querystring: Record<string, unknown> }>(`${optimizationPath(':projectKey', ':optimizationKey')}/results`, async (request) => {
    const page = readPage(request.query, 20);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const optimization = await findOptimization(db, project.id, request.params.optimizationKey);
    const results = (await optimizationResults(db, optimization.id)).filter((row) => row.version === optimization.version);
    const highest = new Map<string, ResultRow>();
    for (const row of results) {
      const seen = highest.get(row.run_id);
      if (!seen || row.iteration > seen.iteration) highest.set(row.run_id, row);
    }
    const latest = runsOf(results).map((run) => highest.get(run.runId) as ResultRow);
    return representResults(project.key, optimization, `${optimizationPath(project.key, optimization.key)}/results`, latest, page);
  });
}
