// PATCH /api/v2/projects/{projectKey}/agent-graphs/{graphKey} (beta) — the members sent replace the graph's (writer):
// name, description, maintainer (`""` removes it), and the topology, rootConfigKey and edges together, the edges
// replaced whole. 200 with the graph; `updatedAt` moves and an audit entry is recorded only when something changed.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { maintainerViews, namedMaintainer } from '../ai-tools/maintainer.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { AgentGraphPatch, configReferences, findGraph, graphDoc, GRAPH_ACTIONS, graphDocOf, topologyProblems, unknownConfigReferences, type AgentGraphRow } from './model.js';
import { graphAudit, graphsPath, representGraph } from './represent.js';

export function patchAgentGraph(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; graphKey: string }; Body: AgentGraphPatch }>(
    `${graphsPath(':projectKey')}/:graphKey`,
    { config: { beta: true, optionalBody: true }, schema: { body: AgentGraphPatch } },
    async (request) => {
      const body = request.body;
      const problems = topologyProblems(body);
      if (problems.length > 0) throw validationFailed(problems);
      const now = deps.now();
      return deps.store.tx(async (trx) => {
        const project = await findProject(trx, request.params.projectKey);
        const row = await findGraph(trx, project.id, request.params.graphKey, deps.store);
        const unknown = await unknownConfigReferences(trx, project.id, configReferences(body));
        if (unknown.length > 0) throw validationFailed(unknown);
        const old = graphDoc(row);
        const maintainer = await namedMaintainer(trx, body, old.maintainer);
        // The topology is replaced whole, or kept.
        const topology = body.rootConfigKey !== undefined ? body : old;
        const doc = graphDocOf({ name: body.name ?? old.name, description: body.description ?? old.description, maintainer, rootConfigKey: topology.rootConfigKey, edges: topology.edges });
        const views = await maintainerViews(trx, [old.maintainer, maintainer]);
        const before = representGraph(row, views(old.maintainer), true);
        if (deepEqual(doc, old)) return before;
        const next: AgentGraphRow = { ...row, doc: JSON.stringify(doc), updated_at: now };
        await trx.updateTable('agent_graphs').set({ doc: next.doc, updated_at: now }).where('id', '=', row.id).execute();
        const after = representGraph(next, views(maintainer), true);
        await recordAudit(trx, request.actor, now, graphAudit(project.key, next, GRAPH_ACTIONS.update, 'updated', { delta: body, before, after }));
        return after;
      });
    },
  );
}
