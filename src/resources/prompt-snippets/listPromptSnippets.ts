// GET /api/v2/projects/{projectKey}/ai-configs/prompt-snippets — the project's prompt snippets, each as its newest
// version holds it, in key order: `filter` (LaunchDarkly's grouped syntax) on key or tags, pages of 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { filterClauses, filterMatches, parseFilterTree, type FilterClause } from '../../http/filter.js';
import { compareText } from '../../store/reads.js';
import { findProject } from '../projects/projects.js';
import { snippetPage } from './listing.js';
import { projectSnippets, snippetVersionDoc, type ShownSnippet } from './model.js';
import { snippetsPath } from './represent.js';

const FILTER_FIELDS = { key: ['equals', 'notEquals', 'anyOf', 'startsWith'], tags: ['anyOf'] } as const;

/** Keys and tags are matched as written: LaunchDarkly's keys are case-sensitive. */
function passes(clause: FilterClause, item: ShownSnippet): boolean {
  if (clause.field === 'tags') {
    const tags = snippetVersionDoc(item.version).tags ?? [];
    return clause.values.some((tag) => tags.includes(tag));
  }
  const key = item.snippet.key;
  if (clause.op === 'startsWith') return clause.values.some((prefix) => key.startsWith(prefix));
  return clause.values.includes(key) === (clause.op !== 'notEquals');
}

export function listPromptSnippets(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(snippetsPath(':projectKey'), async (request) => {
    const filter = parseFilterTree(request.query.filter, FILTER_FIELDS);
    const several = filterClauses(filter).find((clause) => (clause.op === 'equals' || clause.op === 'notEquals') && clause.values.length !== 1);
    if (several) throw validationFailed([{ attribute: 'filter', reason: `the field "${several.field}" takes one value with ${several.op}; use anyOf for several` }]);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const snippets = (await projectSnippets(db, project.id)).filter((item) => filterMatches(filter, item, passes)).sort((a, b) => compareText(a.snippet.key, b.snippet.key));
    return snippetPage(db, project.key, request.query, snippetsPath(project.key), snippets, { filter: request.query.filter as string | undefined });
  });
}
