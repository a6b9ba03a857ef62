// DELETE /api/v2/projects/{projectKey}/agent-graphs/{graphKey} (beta) — delete an agent graph and its edges (writer):
// 204. The AI Configs it named are not touched.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { maintainerViews } from '../ai-tools/maintainer.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { findGraph, graphDoc, GRAPH_ACTIONS } from './model.js';
import { graphAudit, graphsPath, representGraph } from './represent.js';

export function deleteAgentGraph(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; graphKey: string } }>(`${graphsPath(':projectKey')}/:graphKey`, { config: { beta: true } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const row = await findGraph(trx, project.id, request.params.graphKey, deps.store);
      const { maintainer } = graphDoc(row);
      const before = representGraph(row, (await maintainerViews(trx, [maintainer]))(maintainer), true);
      await trx.deleteFrom('agent_graphs').where('id', '=', row.id).execute();
      await recordAudit(trx, request.actor, now, graphAudit(project.key, row, GRAPH_ACTIONS.delete, 'deleted', { before }));
    });
    return reply.code(204).send();
  });
}
