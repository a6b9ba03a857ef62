// GET /api/v2/projects/{projectKey}/ai-tools/{toolKey}/references — the AI Config variations (each as it is now)
// that pin the tool (`tools: [{key, version}]`), each with the version it pins; configs oldest first, each config's
// variations in the order they were made; pages of 20 by default. Agent graphs use tools only through their nodes'
// variations, which are listed here.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readPage } from '../../http/links.js';
import { toolVersionsUsed, variationReferences } from '../ai-configs/references.js';
import { findProject } from '../projects/projects.js';
import { findTool } from './model.js';
import { representToolReferences, toolPath } from './represent.js';

export function listAIToolReferences(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; toolKey: string }; Querystring: Record<string, unknown> }>(`${toolPath(':projectKey', ':toolKey')}/references`, async (request) => {
    const page = readPage(request.query, 20);
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const tool = await findTool(db, project.id, request.params.toolKey);
    const references = await variationReferences(db, project.id, (variation) => toolVersionsUsed(variation, tool.key));
    return representToolReferences(project.key, tool.key, page, references);
  });
}
