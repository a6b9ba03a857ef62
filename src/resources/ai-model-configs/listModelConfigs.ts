// GET /api/v2/projects/{projectKey}/ai-configs/model-configs — the project's model configs (oldest first), then the
// global ones; `restricted=true` keeps only those the project restricts, `false` only the others.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { parseBooleanParam } from '../../http/filter.js';
import { findProject } from '../projects/projects.js';
import { GLOBAL_MODEL_CONFIGS, MODEL_CONFIGS_URL, modelConfigOf, projectModelConfigs, restrictedKeys } from './model.js';
import { representModelConfig } from './represent.js';

export function listModelConfigs(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string }; Querystring: Record<string, unknown> }>(MODEL_CONFIGS_URL, async (request) => {
    const db = deps.store.db;
    const restricted = parseBooleanParam(request.query.restricted, 'restricted');
    const project = await findProject(db, request.params.projectKey);
    const keys = await restrictedKeys(db, project.id);
    const all = [...(await projectModelConfigs(db, project.id)).map(modelConfigOf), ...GLOBAL_MODEL_CONFIGS];
    return all.filter((config) => restricted === undefined || keys.has(config.key) === restricted).map((config) => representModelConfig(config, keys.has(config.key)));
  });
}
