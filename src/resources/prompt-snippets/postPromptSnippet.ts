// POST /api/v2/projects/{projectKey}/ai-configs/prompt-snippets — a new prompt snippet, at version 1 (writer): 201
// with it; 409 when the project has a snippet with the key. `prompt-snippets` is a static segment where the AI Configs
// have `/ai-configs/{configKey}` routes: Fastify's router matches per method and prefers a static segment, so a POST
// here is never an AI Config's (none is POSTed at `/ai-configs/{configKey}` anyway).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { PromptSnippetPost, SNIPPET_ACTIONS, type PromptSnippetDoc, type PromptSnippetRow } from './model.js';
import { representSnippet, snippetAudit, snippetsPath } from './represent.js';

export function postPromptSnippet(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: PromptSnippetPost }>(snippetsPath(':projectKey'), { schema: { body: PromptSnippetPost } }, async (request, reply) => {
    const body = request.body;
    const now = deps.now();
    const rep = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const project = await findProject(trx, request.params.projectKey);
          const doc: PromptSnippetDoc = { name: body.name, ...(body.description !== undefined ? { description: body.description } : {}), text: body.text };
          const row: PromptSnippetRow = { id: objectId(now), project_id: project.id, key: body.key, version: 1, doc: JSON.stringify(doc), created_at: now };
          await trx.insertInto('prompt_snippets').values(row).execute();
          const shown = representSnippet(project.key, row);
          await recordAudit(trx, request.actor, now, snippetAudit(project.key, row, SNIPPET_ACTIONS.create, 'created', { after: shown }));
          return shown;
        }),
      `A prompt snippet with the key "${body.key}" already exists in project "${request.params.projectKey}"`,
    );
    return reply.code(201).send(rep);
  });
}
