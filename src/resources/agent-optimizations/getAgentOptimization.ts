// GET /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey} — one agent optimization, as its current
// version defines it (what LaunchDarkly's optimizer SDK reads to run it).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { findOptimization } from './model.js';
import { optimizationPath, representOptimization } from './represent.js';

export function getAgentOptimization(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; optimizationKey: string } }>(optimizationPath(':projectKey', ':optimizationKey'), async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    return representOptimization(project.key, await findOptimization(db, project.id, request.params.optimizationKey));
  });
}
