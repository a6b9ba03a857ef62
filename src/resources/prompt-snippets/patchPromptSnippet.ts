// PATCH /api/v2/projects/{projectKey}/ai-configs/prompt-snippets/{snippetKey} — the members sent replace the
// snippet's (writer): 200 with the snippet. A change to its name, description, text or tags makes a new version (the
// old ones stay, for the AI Config variations that pin them); a change of maintainer (`""` removes it) changes the
// snippet, not its version. A body that changes nothing records nothing.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { recordAudit } from '../audit-log/record.js';
import { maintainerViews, namedMaintainer } from '../ai-tools/maintainer.js';
import { findProject } from '../projects/projects.js';
import {
  differs,
  findSnippet,
  nextSnippetVersionDoc,
  PromptSnippetPatch,
  SNIPPET_ACTIONS,
  snippetDoc,
  snippetVersion,
  snippetVersionDoc,
  type PromptSnippetDoc,
  type PromptSnippetRow,
  type PromptSnippetVersionRow,
} from './model.js';
import { representSnippet, snippetAudit, snippetPath } from './represent.js';

export function patchPromptSnippet(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; snippetKey: string }; Body: PromptSnippetPatch }>(
    snippetPath(':projectKey', ':snippetKey'),
    { schema: { body: PromptSnippetPatch } },
    async (request) => {
      const body = request.body;
      const now = deps.now();
      return deps.store.tx(async (trx) => {
        const project = await findProject(trx, request.params.projectKey);
        const snippet = await findSnippet(trx, project.id, request.params.snippetKey, deps.store);
        const current = await snippetVersion(trx, snippet);
        const old = snippetDoc(snippet);
        const maintainer = await namedMaintainer(trx, body, old.maintainer);
        const content = nextSnippetVersionDoc(snippetVersionDoc(current), body);
        const views = await maintainerViews(trx, [old.maintainer, maintainer]);
        const before = representSnippet(project.key, snippet, current, views(old.maintainer));
        const newVersion = differs(snippetVersionDoc(current), content);
        if (!newVersion && deepEqual(maintainer, old.maintainer)) return before;

        const doc: PromptSnippetDoc = maintainer ? { maintainer } : {};
        const next: PromptSnippetRow = { ...snippet, version: newVersion ? snippet.version + 1 : snippet.version, doc: JSON.stringify(doc) };
        const shown: PromptSnippetVersionRow = newVersion ? { snippet_id: snippet.id, version: next.version, doc: JSON.stringify(content), created_at: now } : current;
        if (newVersion) await trx.insertInto('prompt_snippet_versions').values(shown).execute();
        await trx.updateTable('prompt_snippets').set({ version: next.version, doc: next.doc }).where('id', '=', snippet.id).execute();
        const after = representSnippet(project.key, next, shown, views(maintainer));
        await recordAudit(trx, request.actor, now, snippetAudit(project.key, snippet.key, content.name, SNIPPET_ACTIONS.update, 'updated', { delta: body, before, after }));
        return after;
      });
    },
  );
}
