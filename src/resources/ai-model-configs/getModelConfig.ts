// GET /api/v2/projects/{projectKey}/ai-configs/model-configs/{modelConfigKey} — one of the project's model configs, or a global one.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { findModelConfig, MODEL_CONFIGS_URL, restrictedKeys } from './model.js';
import { representModelConfig } from './represent.js';

export function getModelConfig(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; modelConfigKey: string } }>(`${MODEL_CONFIGS_URL}/:modelConfigKey`, async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const config = await findModelConfig(db, project, request.params.modelConfigKey);
    return representModelConfig(config, (await restrictedKeys(db, project.id)).has(config.key));
  });
}
