// GET /api/v2/projects/{projectKey}/agent-graphs (beta) — the project's agent graphs without their edges (metadata
// only, as LaunchDarkly lists them), oldest first, in pages of 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readPage } from '../../http/links.js';
import { maintainerViews } from '../ai-tools/maintainer.js';
import { findProject } from '../projects/projects.js';
import { graphDoc } from './model.js';
import { graphsPath, representGraph, representGraphs } from './represent.js';

export function listAgentGraphs(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(graphsPath(':projectKey'), { config: { beta: true } }, async (request) => {
    const page = readPage(request.query, 20);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const query = db.selectFrom('agent_graphs').where('project_id', '=', project.id);
    const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await query.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute();
    const views = await maintainerViews(db, rows.map((row) => graphDoc(row).maintainer));
    return representGraphs(project.key, page, rows.map((row) => representGraph(row, views(graphDoc(row).maintainer), false)), Number(total));
  });
}
