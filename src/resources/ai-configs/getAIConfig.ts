// GET /api/v2/projects/{projectKey}/ai-configs/{configKey} — one AI Config, with its variations as they are now.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { AI_CONFIG_URL, findAIConfig, maintainerOf, type ConfigParams } from './model.js';
import { representAIConfig } from './represent.js';

export function getAIConfig(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ConfigParams }>(AI_CONFIG_URL, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const config = await findAIConfig(db, project, request.params.configKey);
    return representAIConfig(project.key, config, await maintainerOf(db, config.doc));
  });
}
