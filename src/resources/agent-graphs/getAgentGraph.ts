// GET /api/v2/projects/{projectKey}/agent-graphs/{graphKey} (beta) — one agent graph, with its edges.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { maintainerViews } from '../ai-tools/maintainer.js';
import { findProject } from '../projects/projects.js';
import { findGraph, graphDoc } from './model.js';
import { graphsPath, representGraph } from './represent.js';

export function getAgentGraph(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; graphKey: string } }>(`${graphsPath(':projectKey')}/:graphKey`, { config: { beta: true } }, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const row = await findGraph(db, project.id, request.params.graphKey);
    const { maintainer } = graphDoc(row);
    return representGraph(row, (await maintainerViews(db, [maintainer]))(maintainer), true);
  });
}
