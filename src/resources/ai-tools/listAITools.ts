// GET /api/v2/projects/{projectKey}/ai-tools — the project's AI tools, each as its newest version defines it:
// `filter` on key (LaunchDarkly's grouped syntax), `sort` on key or createdAt (the newest version's), key order by
// default, pages of 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { filterClauses, filterMatches, parseFilterTree, type FilterClause } from '../../http/filter.js';
import { findProject } from '../projects/projects.js';
import { toolPage } from './listing.js';
import { projectTools, type ShownTool } from './model.js';
import { toolsPath } from './represent.js';

const FILTER_FIELDS = { key: ['equals', 'notEquals', 'anyOf', 'startsWith'] } as const;

/** Keys are matched as written: LaunchDarkly's keys are case-sensitive. */
function keyPasses(clause: FilterClause, item: ShownTool): boolean {
  const key = item.tool.key;
  if (clause.op === 'startsWith') return clause.values.some((prefix) => key.startsWith(prefix));
  return clause.values.includes(key) === (clause.op !== 'notEquals');
}

export function listAITools(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(toolsPath(':projectKey'), async (request) => {
    const filter = parseFilterTree(request.query.filter, FILTER_FIELDS);
    const several = filterClauses(filter).find((clause) => (clause.op === 'equals' || clause.op === 'notEquals') && clause.values.length !== 1);
    if (several) throw validationFailed([{ attribute: 'filter', reason: `the field "${several.field}" takes one value with ${several.op}; use anyOf for several` }]);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const tools = (await projectTools(db, project.id)).filter((item) => filterMatches(filter, item, keyPasses));
    const fields = { key: (item: ShownTool) => item.tool.key, createdAt: (item: ShownTool) => Number(item.version.created_at) };
    return toolPage(db, project.key, request.query, toolsPath(project.key), fields, 'key', tools, { filter: request.query.filter as string | undefined });
  });
}
