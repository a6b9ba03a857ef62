// POST /api/v2/projects/{projectKey}/agent-graphs (beta) — a new agent graph (writer): 201 with it, edges and all.
// Without rootConfigKey and edges it is metadata only. Its maintainer is the member or team the body names, else the
// caller's member. 409 when the project has a graph with the key.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { maintainerViews, namedMaintainer } from '../ai-tools/maintainer.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { AgentGraphPost, configReferences, GRAPH_ACTIONS, graphDocOf, topologyProblems, unknownConfigReferences, type AgentGraphRow } from './model.js';
import { graphAudit, graphsPath, representGraph } from './represent.js';

export function postAgentGraph(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: AgentGraphPost }>(graphsPath(':projectKey'), { config: { beta: true }, schema: { body: AgentGraphPost } }, async (request, reply) => {
    const body = request.body;
    const problems = topologyProblems(body);
    if (problems.length > 0) throw validationFailed(problems);
    const now = deps.now();
    const rep = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const project = await findProject(trx, request.params.projectKey);
          const unknown = await unknownConfigReferences(trx, project.id, configReferences(body));
          if (unknown.length > 0) throw validationFailed(unknown);
          const maintainer = await namedMaintainer(trx, body, request.actor && { memberId: request.actor.memberId });
          const doc = graphDocOf({ ...body, maintainer });
          const row: AgentGraphRow = { id: objectId(now), project_id: project.id, key: body.key, doc: JSON.stringify(doc), created_at: now, updated_at: now };
          await trx.insertInto('agent_graphs').values(row).execute();
          const shown = representGraph(row, (await maintainerViews(trx, [maintainer]))(maintainer), true);
          await recordAudit(trx, request.actor, now, graphAudit(project.key, row, GRAPH_ACTIONS.create, 'created', { after: shown }));
          return shown;
        }),
      `An agent graph with the key "${body.key}" already exists in project "${request.params.projectKey}"`,
    );
    return reply.code(201).send(rep);
  });
}
