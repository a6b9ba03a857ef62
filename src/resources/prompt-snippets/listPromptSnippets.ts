// GET /api/v2/projects/{projectKey}/ai-configs/prompt-snippets — the project's prompt snippets, each as its newest
// version holds it, in key order: `filter` (LaunchDarkly's grouped syntax) on key or tags, pages of 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { filterMatches } from '../../http/filter.js';
import { compareText } from '../../store/reads.js';
import { KEY_AND_TAGS_FIELDS, keyOrTagsPass, readListFilter } from '../ai-tools/keyFilter.js';
import { findProject } from '../projects/projects.js';
import { snippetPage } from './listing.js';
import { projectSnippets, snippetVersionDoc } from './model.js';
import { snippetsPath } from './represent.js';


export function listPromptSnippets(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(snippetsPath(':projectKey'), async (request) => {
    const filter = readListFilter(request.query.filter, KEY_AND_TAGS_FIELDS);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const snippets = (await projectSnippets(db, project.id)).filter((item) => filterMatches(filter, item, (clause) => keyOrTagsPass(clause, item.snippet.key, snippetVersionDoc(item.version).tags))).sort((a, b) => compareText(a.snippet.key, b.snippet.key));
    return snippetPage(db, project.key, request.query, snippetsPath(project.key), snippets, { filter: request.query.filter as string | undefined });
  });
}
