// DELETE /api/v2/projects/{projectKey}/ai-tools/{toolKey} — delete an AI tool with every version of it (writer): 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { maintainerViews } from './maintainer.js';
import { findTool, TOOL_ACTIONS, toolDoc, toolVersion } from './model.js';
import { representTool, toolAudit, toolPath } from './represent.js';

export function deleteAITool(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; toolKey: string } }>(toolPath(':projectKey', ':toolKey'), async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const tool = await findTool(trx, project.id, request.params.toolKey, deps.store);
      const { maintainer } = toolDoc(tool);
      const before = representTool(project.key, tool, await toolVersion(trx, tool), (await maintainerViews(trx, [maintainer]))(maintainer));
      await trx.deleteFrom('ai_tools').where('id', '=', tool.id).execute();
      await recordAudit(trx, request.actor, now, toolAudit(project.key, tool.key, TOOL_ACTIONS.delete, 'deleted', { before }));
    });
    return reply.code(204).send();
  });
}
