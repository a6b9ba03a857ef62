// GET /api/v2/projects/{projectKey}/agent-graphs (beta) — the project's agent graphs without their edges (metadata
// only, as LaunchDarkly lists them), oldest first, in pages of 20 by default. `filter` (2026-07) in LaunchDarkly's
// grouped syntax, as the AI library's other lists take it: `key` (equals, notEquals, anyOf, startsWith) and
// `rootConfigKey` (equals, anyOf); `,` is and, `|` is or.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { filterMatches, type FilterClause } from '../../http/filter.js';
import { readPage } from '../../http/links.js';
import { KEY_OPERATORS, keyPasses, readListFilter } from '../ai-tools/keyFilter.js';
import { maintainerViews } from '../ai-tools/maintainer.js';
import { findProject } from '../projects/projects.js';
import { graphDoc, type AgentGraphRow } from './model.js';
import { graphsPath, representGraph, representGraphs } from './represent.js';

const FILTER_FIELDS = { key: KEY_OPERATORS, rootConfigKey: ['equals', 'anyOf'] } as const;

/** A graph passes a rootConfigKey clause when its root is one of the values (a graph without a topology has none). */
function passes(clause: FilterClause, row: AgentGraphRow): boolean {
  if (clause.field !== 'rootConfigKey') return keyPasses(clause, row.key);
  const root = graphDoc(row).rootConfigKey;
  return root !== undefined && clause.values.includes(root);
}

export function listAgentGraphs(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(graphsPath(':projectKey'), { config: { beta: true } }, async (request) => {
    const page = readPage(request.query, 20);
    const filter = readListFilter(request.query.filter, FILTER_FIELDS);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const query = db.selectFrom('agent_graphs').where('project_id', '=', project.id);
    let rows: AgentGraphRow[];
    let total: number;
    if (filter === undefined) {
      total = Number((await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow()).total);
      rows = await query.selectAll().orderBy('created_at').orderBy('id').limit(page.limit).offset(page.offset).execute();
    } else {
      // A project's graphs are few (each drawn by hand): filtered here, then paged.
      const matching = (await query.selectAll().orderBy('created_at').orderBy('id').execute()).filter((row) => filterMatches(filter, row, (clause) => passes(clause, row)));
      total = matching.length;
      rows = matching.slice(page.offset, page.offset + page.limit);
    }
    const views = await maintainerViews(db, rows.map((row) => graphDoc(row).maintainer));
    const items = rows.map((row) => representGraph(row, views(graphDoc(row).maintainer), false));
    return representGraphs(project.key, page, items, total, { filter: request.query.filter as string | undefined });
  });
}
