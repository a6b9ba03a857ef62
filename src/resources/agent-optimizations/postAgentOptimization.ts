// POST /api/v2/projects/{projectKey}/agent-optimizations — a new agent optimization, at version 1 (writer): 201 with
// it. The AI Config it optimizes must be an agent-mode AI Config of the project, the variation it starts from one of
// that config's, each judge a judge-mode AI Config and the metric one of the project's (400 naming the field).
// 409 when the project has an optimization with the key.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { AgentOptimizationPost, definitionProblems, nextDoc, OPTIMIZATION_ACTIONS, referenceProblems, type OptimizationRow } from './model.js';
import { optimizationAudit, optimizationsPath, representOptimization } from './represent.js';

export function postAgentOptimization(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: AgentOptimizationPost }>(optimizationsPath(':projectKey'), { schema: { body: AgentOptimizationPost } }, async (request, reply) => {
    const body = request.body;
    const doc = nextDoc(undefined, body);
    const problems = definitionProblems(doc);
    if (problems.length > 0) throw validationFailed(problems);
    const now = deps.now();
    const rep = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const project = await findProject(trx, request.params.projectKey);
          const unknown = await referenceProblems(trx, deps.store, project.id, doc, new Set(Object.keys(body)));
          if (unknown.length > 0) throw validationFailed(unknown);
          const row: OptimizationRow = { id: uuid(), project_id: project.id, key: body.key, version: 1, doc: JSON.stringify(doc), created_at: now };
          await trx.insertInto('agent_optimizations').values(row).execute();
          const shown = representOptimization(project.key, row);
          await recordAudit(trx, request.actor, now, optimizationAudit(project.key, row.key, OPTIMIZATION_ACTIONS.create, `created the agent optimization ${row.key}`, { after: shown }));
          return shown;
        }),
      `An agent optimization with the key "${body.key}" already exists in project "${request.params.projectKey}"`,
    );
    return reply.code(201).send(rep);
  });
}
