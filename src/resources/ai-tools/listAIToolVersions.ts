// GET /api/v2/projects/{projectKey}/ai-tools/{toolKey}/versions — every version of an AI tool, each an AITool as that
// version defined it (with the tool's maintainer): `sort` on version or createdAt, oldest first by default, pages of
// 20 by default.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { toolPage } from './listing.js';
import { findTool, toolVersions, type ShownTool } from './model.js';
import { toolPath } from './represent.js';

export function listAIToolVersions(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; toolKey: string }; Querystring: Record<string, unknown> }>(`${toolPath(':projectKey', ':toolKey')}/versions`, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const tool = await findTool(db, project.id, request.params.toolKey);
    const versions = (await toolVersions(db, tool.id)).map((version) => ({ tool, version }));
    const fields = { version: (item: ShownTool) => item.version.version, createdAt: (item: ShownTool) => Number(item.version.created_at) };
    return toolPage(db, project.key, request.query, `${toolPath(project.key, tool.key)}/versions`, fields, 'version', versions);
  });
}
