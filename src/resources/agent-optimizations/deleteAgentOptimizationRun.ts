// DELETE /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey}/runs/{runId} (beta) — delete every result
// of a run (writer): 204. 404 when the optimization does not exist or the run has no results, and so for a run
// deleted already (and for an ID that is no UUID): as LaunchDarkly says, it "is indistinguishable from a run that never existed".
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { findOptimization, OPTIMIZATION_ACTIONS, pathUuid, runNotFound } from './model.js';
import { optimizationAudit, optimizationPath } from './represent.js';

export function deleteAgentOptimizationRun(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; optimizationKey: string; runId: string } }>(
    `${optimizationPath(':projectKey', ':optimizationKey')}/runs/:runId`,
    { config: { beta: true } },
    async (request, reply) => {
      const now = deps.now();
      await deps.store.tx(async (trx) => {
        const project = await findProject(trx, request.params.projectKey);
        const optimization = await findOptimization(trx, project.id, request.params.optimizationKey, deps.store);
        const runId = pathUuid(request.params.runId);
        if (runId === undefined) throw runNotFound(request.params.runId, optimization);
        const deleted = await trx.deleteFrom('agent_optimization_results').where('optimization_id', '=', optimization.id).where('run_id', '=', runId).executeTakeFirst();
        const count = Number(deleted.numDeletedRows);
        if (count === 0) throw runNotFound(runId, optimization);
        const description = `deleted run ${runId} (${count} result(s)) of the agent optimization ${optimization.key}`;
        await recordAudit(trx, request.actor, now, optimizationAudit(project.key, optimization.key, OPTIMIZATION_ACTIONS.deleteRun, description));
      });
      return reply.code(204).send();
    },
  );
}
