// GET /api/v2/projects/{projectKey}/ai-configs/prompt-snippets/{snippetKey}/versions — every version of a prompt
// snippet, newest first (as the spec's description orders them), each a PromptSnippet as that version held it (with
// the snippet's maintainer); pages of 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { snippetPage } from './listing.js';
import { findSnippet, snippetVersions } from './model.js';
import { snippetPath } from './represent.js';

export function listPromptSnippetVersions(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; snippetKey: string }; Querystring: Record<string, unknown> }>(`${snippetPath(':projectKey', ':snippetKey')}/versions`, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const snippet = await findSnippet(db, project.id, request.params.snippetKey);
    const versions = (await snippetVersions(db, snippet.id)).map((version) => ({ snippet, version }));
    return snippetPage(db, project.key, request.query, `${snippetPath(project.key, snippet.key)}/versions`, versions);
  });
}
