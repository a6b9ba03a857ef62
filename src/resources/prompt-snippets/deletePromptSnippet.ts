// DELETE /api/v2/projects/{projectKey}/ai-configs/prompt-snippets/{snippetKey} — delete a prompt snippet with every
// version of it (writer): 204. A snippet that AI Config variations include is deleted all the same, as LaunchDarkly
// deletes it (its spec gives the operation no 400 or 409, and its guide warns that the configs lose the reference):
// the variations keep their prompt text as written, `{{snippet.key#version}}` included, naming a snippet no longer
// there (listPromptSnippetReferences now answers 404 for it).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { maintainerViews } from '../ai-tools/maintainer.js';
import { findProject } from '../projects/projects.js';
import { findSnippet, SNIPPET_ACTIONS, snippetDoc, snippetVersion, snippetVersionDoc } from './model.js';
import { representSnippet, snippetAudit, snippetPath } from './represent.js';

export function deletePromptSnippet(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; snippetKey: string } }>(snippetPath(':projectKey', ':snippetKey'), async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const snippet = await findSnippet(trx, project.id, request.params.snippetKey, deps.store);
      const { maintainer } = snippetDoc(snippet);
      const version = await snippetVersion(trx, snippet);
      const before = representSnippet(project.key, snippet, version, (await maintainerViews(trx, [maintainer]))(maintainer));
      await trx.deleteFrom('prompt_snippets').where('id', '=', snippet.id).execute();
      await recordAudit(trx, request.actor, now, snippetAudit(project.key, snippet.key, snippetVersionDoc(version).name, SNIPPET_ACTIONS.delete, 'deleted', { before }));
    });
    return reply.code(204).send();
  });
}
