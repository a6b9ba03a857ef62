// POST /api/v2/projects/{projectKey}/ai-tools — a new AI tool, at version 1 (writer): 201 with it. Its maintainer is
// the member or team the body names, else the caller's member. 409 when the project has a tool with the key.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflictOnDuplicate } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { maintainerViews, namedMaintainer } from './maintainer.js';
import { AIToolPost, nextToolDoc, nextVersionDoc, TOOL_ACTIONS, type AIToolDoc, type AIToolRow, type AIToolVersionRow } from './model.js';
import { representTool, toolAudit, toolsPath } from './represent.js';

export function postAITool(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: AIToolPost }>(toolsPath(':projectKey'), { schema: { body: AIToolPost } }, async (request, reply) => {
    const body = request.body;
    const now = deps.now();
    const rep = await conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const project = await findProject(trx, request.params.projectKey);
          const maintainer = await namedMaintainer(trx, body, request.actor && { memberId: request.actor.memberId });
          const doc: AIToolDoc = nextToolDoc(maintainer, undefined, body);
          const tool: AIToolRow = { id: objectId(now), project_id: project.id, key: body.key, version: 1, doc: JSON.stringify(doc), created_at: now };
          const version: AIToolVersionRow = { tool_id: tool.id, version: 1, doc: JSON.stringify(nextVersionDoc({ schema: body.schema }, body)), created_at: now };
          await trx.insertInto('ai_tools').values(tool).execute();
          await trx.insertInto('ai_tool_versions').values(version).execute();
          const shown = representTool(project.key, tool, version, (await maintainerViews(trx, [maintainer]))(maintainer));
          await recordAudit(trx, request.actor, now, toolAudit(project.key, tool.key, TOOL_ACTIONS.create, 'created', { after: shown }));
          return shown;
        }),
      `An AI tool with the key "${body.key}" already exists in project "${request.params.projectKey}"`,
    );
    return reply.code(201).send(rep);
  });
}
