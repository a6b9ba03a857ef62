// GET /api/v2/projects/{projectKey}/ai-configs/{configKey}/targeting — the config's targeting in every environment,
// and the variations it can serve (the disabled one first), by `_id` and index.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { AI_CONFIG_URL, findAIConfig, type ConfigParams } from './model.js';
import { loadTargeting } from './targeting.js';

export function getAIConfigTargeting(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ConfigParams }>(`${AI_CONFIG_URL}/targeting`, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    return loadTargeting(db, project, await findAIConfig(db, project, request.params.configKey));
  });
}
