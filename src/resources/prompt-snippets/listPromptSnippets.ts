// GET /api/v2/projects/{projectKey}/ai-configs/prompt-snippets — the project's prompt snippets, each as its newest
// version holds it, in key order: `filter` (LaunchDarkly's grouped syntax) on key or tags, pages of 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { filterMatches, type FilterClause } from '../../http/filter.js';
import { compareText } from '../../store/reads.js';
import { KEY_OPERATORS, keyPasses, readListFilter } from '../ai-tools/keyFilter.js';
import { findProject } from '../projects/projects.js';
import { snippetPage } from './listing.js';
import { projectSnippets, snippetVersionDoc, type ShownSnippet } from './model.js';
import { snippetsPath } from './represent.js';

const FILTER_FIELDS = { key: KEY_OPERATORS, tags: ['anyOf'] } as const;

/** A snippet passes a tags clause when it has any of the tags (as written). */
function passes(clause: FilterClause, item: ShownSnippet): boolean {
  if (clause.field !== 'tags') return keyPasses(clause, item.snippet.key);
  const tags = snippetVersionDoc(item.version).tags ?? [];
  return clause.values.some((tag) => tags.includes(tag));
}

export function listPromptSnippets(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(snippetsPath(':projectKey'), async (request) => {
    const filter = readListFilter(request.query.filter, FILTER_FIELDS);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const snippets = (await projectSnippets(db, project.id)).filter((item) => filterMatches(filter, item, passes)).sort((a, b) => compareText(a.snippet.key, b.snippet.key));
    return snippetPage(db, project.key, request.query, snippetsPath(project.key), snippets, { filter: request.query.filter as string | undefined });
  });
}
