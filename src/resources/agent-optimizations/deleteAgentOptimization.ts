// DELETE /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey} — delete an agent optimization, every
// version of it and every result of its runs (writer): 204. The AI Configs it named are not touched.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { findOptimization, OPTIMIZATION_ACTIONS } from './model.js';
import { optimizationAudit, optimizationPath, representOptimization } from './represent.js';

export function deleteAgentOptimization(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; optimizationKey: string } }>(optimizationPath(':projectKey', ':optimizationKey'), async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const row = await findOptimization(trx, project.id, request.params.optimizationKey, deps.store);
      await trx.deleteFrom('agent_optimization_results').where('optimization_id', '=', row.id).execute();
      await trx.deleteFrom('agent_optimizations').where('id', '=', row.id).execute();
      const before = representOptimization(project.key, row);
      await recordAudit(trx, request.actor, now, optimizationAudit(project.key, row.key, OPTIMIZATION_ACTIONS.delete, `deleted the agent optimization ${row.key}`, { before }));
    });
    return reply.code(204).send();
  });
}
