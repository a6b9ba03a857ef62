// GET /api/v2/projects/{projectKey}/ai-tools/{toolKey} — one AI tool, as its newest version defines it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { maintainerViews } from './maintainer.js';
import { findShownTool, toolDoc } from './model.js';
import { representTool, toolPath } from './represent.js';

export function getAITool(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; toolKey: string } }>(toolPath(':projectKey', ':toolKey'), async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const { tool, version } = await findShownTool(db, project.id, request.params.toolKey);
    const { maintainer } = toolDoc(tool);
    return representTool(project.key, tool, version, (await maintainerViews(db, [maintainer]))(maintainer));
  });
}
