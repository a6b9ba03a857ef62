// POST /api/v2/projects/{projectKey}/ai-configs/prompt-snippets — a new prompt snippet, at version 1 (writer): 201
// with it, as getPromptSnippet shows it. Its maintainer is the member or team the body names, else the caller's
// member. 409 when the project has a snippet with the key. `prompt-snippets` is a static segment where the AI Configs
// have `/ai-configs/{configKey}` routes: Fastify's router matches per method and prefers a static segment, so a
// request here is never an AI Config's (RESERVED_CONFIG_KEYS keeps the key from any AI Config).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { maintainerViews, namedMaintainer } from '../ai-tools/maintainer.js';
import { findProject } from '../projects/projects.js';
import { nextSnippetVersionDoc, PromptSnippetPost, SNIPPET_ACTIONS, type PromptSnippetDoc, type PromptSnippetRow, type PromptSnippetVersionRow } from './model.js';
import { representSnippet, snippetAudit, snippetsPath } from './represent.js';

export function postPromptSnippet(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: PromptSnippetPost }>(snippetsPath(':projectKey'), { schema: { body: PromptSnippetPost } }, async (request, reply) => {
    const body = request.body;
    const now = deps.now();
    const rep = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const project = await findProject(trx, request.params.projectKey);
          const maintainer = await namedMaintainer(trx, body, request.actor && { memberId: request.actor.memberId });
          const doc: PromptSnippetDoc = maintainer ? { maintainer } : {};
          const snippet: PromptSnippetRow = { id: objectId(now), project_id: project.id, key: body.key, version: 1, doc: JSON.stringify(doc), created_at: now };
          const content = nextSnippetVersionDoc({ name: body.name, text: body.text }, body);
          const version: PromptSnippetVersionRow = { snippet_id: snippet.id, version: 1, doc: JSON.stringify(content), created_at: now };
          await trx.insertInto('prompt_snippets').values(snippet).execute();
          await trx.insertInto('prompt_snippet_versions').values(version).execute();
          const shown = representSnippet(project.key, snippet, version, (await maintainerViews(trx, [maintainer]))(maintainer));
          await recordAudit(trx, request.actor, now, snippetAudit(project.key, snippet.key, content.name, SNIPPET_ACTIONS.create, 'created', { after: shown }));
          return shown;
        }),
      `A prompt snippet with the key "${body.key}" already exists in project "${request.params.projectKey}"`,
    );
    return reply.code(201).send(rep);
  });
}
