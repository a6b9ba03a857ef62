// POST /api/v2/projects/{projectKey}/agent-optimizations/{optimizationKey}/results — a client's optimizer records an
// iteration of one of its runs (writer): 201 with the result, RUNNING and PENDING until updated. The run is the UUID
// the client picked; it runs one version of the optimization, one that exists (400 naming agentOptimizationVersion
// otherwise), and each of its iterations has one result (409 for a second).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { uuid } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { AgentOptimizationResultPost, findOptimization, OPTIMIZATION_ACTIONS, requireUuid, type ResultDoc, type ResultRow } from './model.js';
import { optimizationAudit, optimizationPath, representResult } from './represent.js';

export function postAgentOptimizationResult(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string; optimizationKey: string }; Body: AgentOptimizationResultPost }>(
    `${optimizationPath(':projectKey', ':optimizationKey')}/results`,
    { schema: { body: AgentOptimizationResultPost } },
    async (request, reply) => {
      const body = request.body;
      const runId = requireUuid(body.runId, 'runId');
      const now = deps.now();
      const rep = await conflictOnDuplicate(
        () =>
          deps.store.tx(async (trx) => {
            const project = await findProject(trx, request.params.projectKey);
            // Locked, so that two first results of one run cannot pin it to two versions.
            const optimization = await findOptimization(trx, project.id, request.params.optimizationKey, deps.store);
            const version = body.agentOptimizationVersion;
            if (version > optimization.version) {
              throw validationFailed([{ attribute: 'agentOptimizationVersion', reason: `agent optimization "${optimization.key}" has no version ${version}: its current version is ${optimization.version}` }]);
            }
            const earlier = await trx.selectFrom('agent_optimization_results').select('version').where('optimization_id', '=', optimization.id).where('run_id', '=', runId).executeTakeFirst();
            if (earlier && earlier.version !== version) {
              throw validationFailed([{ attribute: 'agentOptimizationVersion', reason: `run "${runId}" runs version ${earlier.version} of agent optimization "${optimization.key}", not ${version}: a run keeps the version it started with` }]);
            }
            const doc: ResultDoc = { instructions: body.instructions, userInput: body.userInput, ...(body.parameters !== undefined ? { parameters: body.parameters } : {}) };
            const row: ResultRow = {
              id: uuid(),
              optimization_id: optimization.id,
              run_id: runId,
              iteration: body.iteration,
              version,
              status: 'RUNNING',
              activity: 'PENDING',
              doc: JSON.stringify(doc),
              created_at: now,
              updated_at: now,
              completed_at: null,
            };
            await trx.insertInto('agent_optimization_results').values(row).execute();
            const shown = representResult(project.key, optimization, row);
            const description = `recorded iteration ${row.iteration} of run ${runId} of the agent optimization ${optimization.key}`;
            await recordAudit(trx, request.actor, now, optimizationAudit(project.key, optimization.key, OPTIMIZATION_ACTIONS.createResult, description, { after: shown }));
            return shown;
          }),
        `Run "${runId}" of agent optimization "${request.params.optimizationKey}" already has a result for iteration ${body.iteration}: update that result instead`,
      );
      return reply.code(201).send(rep);
    },
  );
}
