// GET /api/v2/projects/{projectKey}/agent-optimizations — the project's agent optimizations, each as its current
// version defines it, in key order: `filter` on key or aiConfigKey (LaunchDarkly's grouped syntax), pages of 20 by
// default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { filterClauses, filterMatches, parseFilterTree, type FilterClause } from '../../http/filter.js';
import { readPage } from '../../http/links.js';
import { compareText } from '../../store/reads.js';
import { findProject } from '../projects/projects.js';
import { optimizationDoc, type OptimizationRow } from './model.js';
import { optimizationsPath, representOptimization, representOptimizations } from './represent.js';

const FILTER_FIELDS = { key: ['equals', 'notEquals', 'anyOf', 'startsWith'], aiConfigKey: ['equals', 'notEquals', 'anyOf', 'startsWith'] } as const;

/** Keys are matched as written: LaunchDarkly's keys are case-sensitive. */
function passes(clause: FilterClause, row: OptimizationRow): boolean {
  const value = clause.field === 'key' ? row.key : optimizationDoc(row).aiConfigKey;
  if (clause.op === 'startsWith') return clause.values.some((prefix) => value.startsWith(prefix));
  return clause.values.includes(value) === (clause.op !== 'notEquals');
}

export function listAgentOptimizations(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(optimizationsPath(':projectKey'), async (request) => {
    const filter = parseFilterTree(request.query.filter, FILTER_FIELDS);
    const several = filterClauses(filter).find((clause) => (clause.op === 'equals' || clause.op === 'notEquals') && clause.values.length !== 1);
    if (several) throw validationFailed([{ attribute: 'filter', reason: `the field "${several.field}" takes one value with ${several.op}; use anyOf for several` }]);
    const page = readPage(request.query, 20);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const rows = await db.selectFrom('agent_optimizations').selectAll().where('project_id', '=', project.id).execute();
    // Sorted here, by code unit, so that both databases list alike (their collations differ).
    const matching = rows.filter((row) => filterMatches(filter, row, passes)).sort((a, b) => compareText(a.key, b.key));
    const items = matching.slice(page.offset, page.offset + page.limit).map((row) => representOptimization(project.key, row));
    return representOptimizations(project.key, page, items, matching.length, request.query.filter as string | undefined);
  });
}
