// PATCH /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey}/results/{resultId} — a client's optimizer
// reports how an iteration goes (writer): the members sent replace the result's (status, activity, the agent's
// response, the variation tried, scores, tokens, latencies, and the variation it committed, which must be a variation
// of the optimized AI Config: 400 naming createdVariationKey). 200 with the result; `updatedAt` moves with every
// report, `completedAt` is set when the iteration ends (a status other than RUNNING, or the activity COMPLETED).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { AgentOptimizationResultPatch, findOptimization, findResult, isCompleted, OPTIMIZATION_ACTIONS, optimizationDoc, resultDoc, type ResultDoc, type ResultRow } from './model.js';
import { optimizationAudit, optimizationPath, representResult } from './represent.js';

export function patchAgentOptimizationResult(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; optimizationKey: string; resultId: string }; Body: AgentOptimizationResultPatch }>(
    `${optimizationPath(':projectKey', ':optimizationKey')}/results/:resultId`,
    { schema: { body: AgentOptimizationResultPatch } },
    async (request) => {
      const { status, activity, ...members } = request.body;
      const now = deps.now();
      return deps.store.tx(async (trx) => {
        const project = await findProject(trx, request.params.projectKey);
        const optimization = await findOptimization(trx, project.id, request.params.optimizationKey);
        const row = await findResult(trx, optimization, request.params.resultId, deps.store);
        if (members.createdVariationKey !== undefined) {
          const { aiConfigKey } = optimizationDoc(optimization);
          const variation = await trx
            .selectFrom('ai_config_variations as v')
            .innerJoin('ai_configs as c', 'c.id', 'v.config_id')
            .select('v.key')
            .where('c.project_id', '=', project.id)
            .where('c.key', '=', aiConfigKey)
            .where('v.key', '=', members.createdVariationKey)
            .executeTakeFirst();
          if (!variation) throw validationFailed([{ attribute: 'createdVariationKey', reason: `"${members.createdVariationKey}" is not a variation of AI Config "${aiConfigKey}", the one agent optimization "${optimization.key}" optimizes` }]);
        }
        const doc: ResultDoc = { ...resultDoc(row) };
        for (const [name, value] of Object.entries(members)) if (value !== undefined) (doc as unknown as Record<string, unknown>)[name] = value;
        const nextStatus = status ?? row.status;
        const nextActivity = activity ?? row.activity;
        const completed = isCompleted(nextStatus, nextActivity);
        const next: ResultRow = {
          ...row,
          status: nextStatus,
          activity: nextActivity,
          doc: JSON.stringify(doc),
          updated_at: now,
          completed_at: completed ? (row.completed_at ?? now) : null,
        };
        await trx.updateTable('agent_optimization_results').set({ status: next.status, activity: next.activity, doc: next.doc, updated_at: now, completed_at: next.completed_at }).where('id', '=', row.id).execute();
        const before = representResult(project.key, optimization, row);
        const after = representResult(project.key, optimization, next);
        const description = `updated iteration ${row.iteration} of run ${row.run_id} of the agent optimization ${optimization.key}`;
        await recordAudit(trx, request.actor, now, optimizationAudit(project.key, optimization.key, OPTIMIZATION_ACTIONS.updateResult, description, { delta: request.body, before, after }));
        return after;
      });
    },
  );
}
