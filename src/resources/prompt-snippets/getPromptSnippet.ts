// GET /api/v2/projects/{projectKey}/ai-configs/prompt-snippets/{snippetKey} — one prompt snippet, as its newest
// version holds it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { maintainerViews } from '../ai-tools/maintainer.js';
import { findProject } from '../projects/projects.js';
import { findShownSnippet, snippetDoc } from './model.js';
import { representSnippet, snippetPath } from './represent.js';

export function getPromptSnippet(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; snippetKey: string } }>(snippetPath(':projectKey', ':snippetKey'), async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const { snippet, version } = await findShownSnippet(db, project.id, request.params.snippetKey);
    const { maintainer } = snippetDoc(snippet);
    return representSnippet(project.key, snippet, version, (await maintainerViews(db, [maintainer]))(maintainer));
  });
}
