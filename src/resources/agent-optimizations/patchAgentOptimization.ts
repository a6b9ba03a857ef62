// PATCH /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey} — the members sent replace the
// optimization's (writer), as a new version: 200 with it. The AI Config it optimizes and its key do not change
// (400 naming them). A body that changes nothing makes no version and records nothing. Runs already going keep the
// version they started with: their results name it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { AgentOptimizationPatch, definesDifferently, definitionProblems, findOptimization, nextDoc, OPTIMIZATION_ACTIONS, optimizationDoc, referenceProblems, type OptimizationRow } from './model.js';
import { optimizationAudit, optimizationPath, representOptimization } from './represent.js';

export function patchAgentOptimization(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; optimizationKey: string }; Body: AgentOptimizationPatch }>(
    optimizationPath(':projectKey', ':optimizationKey'),
    { schema: { body: AgentOptimizationPatch } },
    async (request) => {
      const body = request.body;
      const now = deps.now();
      return deps.store.tx(async (trx) => {
        const project = await findProject(trx, request.params.projectKey);
        const row = await findOptimization(trx, project.id, request.params.optimizationKey, deps.store);
        const current = optimizationDoc(row);
        const doc = nextDoc(current, body);
        const problems = definitionProblems(doc);
        if (problems.length > 0) throw validationFailed(problems);
        const unknown = await referenceProblems(trx, deps.store, project.id, doc, new Set(Object.keys(body)));
        if (unknown.length > 0) throw validationFailed(unknown);
        const before = representOptimization(project.key, row);
        if (!definesDifferently(current, doc)) return before;
        const next: OptimizationRow = { ...row, version: row.version + 1, doc: JSON.stringify(doc), created_at: now };
        await trx.updateTable('agent_optimizations').set({ version: next.version, doc: next.doc, created_at: now }).where('id', '=', row.id).execute();
        const after = representOptimization(project.key, next);
        await recordAudit(trx, request.actor, now, optimizationAudit(project.key, row.key, OPTIMIZATION_ACTIONS.update, `updated the agent optimization ${row.key} (version ${next.version})`, { delta: body, before, after }));
        return after;
      });
    },
  );
}
