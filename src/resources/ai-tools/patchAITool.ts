// PATCH /api/v2/projects/{projectKey}/ai-tools/{toolKey} — the members sent replace the tool's (writer): 200 with the
// tool. A change to its description, schema or custom parameters makes a new version (the old ones stay, for the
// AI Config variations that pin them); a change of maintainer (`""` removes it) or of tags changes the tool, not its version.
// A body that changes nothing records nothing.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { maintainerViews, namedMaintainer } from './maintainer.js';
import { AIToolPatch, definesDifferently, findTool, nextToolDoc, nextVersionDoc, TOOL_ACTIONS, toolDoc, toolVersion, versionDoc, type AIToolDoc, type AIToolRow, type AIToolVersionRow } from './model.js';
import { representTool, toolAudit, toolPath } from './represent.js';

export function patchAITool(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; toolKey: string }; Body: AIToolPatch }>(toolPath(':projectKey', ':toolKey'), { config: { optionalBody: true }, schema: { body: AIToolPatch } }, async (request) => {
    const body = request.body;
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const tool = await findTool(trx, project.id, request.params.toolKey, deps.store);
      const current = await toolVersion(trx, tool);
      const old = toolDoc(tool);
      const maintainer = await namedMaintainer(trx, body, old.maintainer);
      const definition = nextVersionDoc(versionDoc(current), body);
      const views = await maintainerViews(trx, [old.maintainer, maintainer]);
      const before = representTool(project.key, tool, current, views(old.maintainer));
      const newVersion = definesDifferently(versionDoc(current), definition);
      const doc: AIToolDoc = nextToolDoc(maintainer, old.tags, body);
      if (!newVersion && deepEqual(doc, old)) return before;

      const next: AIToolRow = { ...tool, version: newVersion ? tool.version + 1 : tool.version, doc: JSON.stringify(doc) };
      const shown: AIToolVersionRow = newVersion ? { tool_id: tool.id, version: next.version, doc: JSON.stringify(definition), created_at: now } : current;
      if (newVersion) await trx.insertInto('ai_tool_versions').values(shown).execute();
      await trx.updateTable('ai_tools').set({ version: next.version, doc: next.doc }).where('id', '=', tool.id).execute();
      const after = representTool(project.key, next, shown, views(maintainer));
      await recordAudit(trx, request.actor, now, toolAudit(project.key, tool.key, TOOL_ACTIONS.update, 'updated', { delta: body, before, after }));
      return after;
    });
  });
}
