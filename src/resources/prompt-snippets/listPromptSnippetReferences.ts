// GET /api/v2/projects/{projectKey}/ai-configs/prompt-snippets/{snippetKey}/references — the AI Config variations
// (each as it is now) whose prompt includes the snippet (`{{snippet.key#version}}` in a message or in an agent's
// instructions), one item per variation and version it pins; configs oldest first; pages of 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readPage } from '../../http/links.js';
import { snippetVersionsUsed, variationReferences } from '../ai-configs/references.js';
import { findProject } from '../projects/projects.js';
import { findSnippet } from './model.js';
import { representSnippetReferences, snippetPath } from './represent.js';

export function listPromptSnippetReferences(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; snippetKey: string }; Querystring: Record<string, unknown> }>(`${snippetPath(':projectKey', ':snippetKey')}/references`, async (request) => {
    const page = readPage(request.query, 20);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const snippet = await findSnippet(db, project.id, request.params.snippetKey);
    const references = await variationReferences(db, project.id, (variation) => snippetVersionsUsed(variation, snippet.key));
    return representSnippetReferences(project.key, snippet.key, page, references);
  });
}
