// POST /api/v2/projects/{projectKey}/ai-configs/model-configs/restricted — restrict model configs, by key: 200 with
// the keys restricted (already restricted ones too) and, for each key that names no model config, an error (404).
// A restricted model config may not be newly chosen for an AI Config variation.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { lookUpModelConfig, MODEL_CONFIGS_URL, RestrictedModelsRequest, restrictedKeys } from './model.js';
import { modelConfigAudit, representRestrictedModels } from './represent.js';

export function postRestrictedModels(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: RestrictedModelsRequest }>(`${MODEL_CONFIGS_URL}/restricted`, { schema: { body: RestrictedModelsRequest } }, async (request) => {
    const now = deps.now();
    return deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const already = await restrictedKeys(trx, project.id);
      const successes: string[] = [];
      const errors: { key: string; message: string; code: number }[] = [];
      for (const key of new Set(request.body.keys)) {
        const config = await lookUpModelConfig(trx, project.id, key);
        if (!config) {
          errors.push({ key, message: `Model config "${key}" in project "${project.key}" not found`, code: 404 });
          continue;
        }
        successes.push(key);
        if (already.has(key)) continue;
        await trx.insertInto('ai_restricted_models').values({ project_id: project.id, key, created_at: now }).execute();
        await recordAudit(trx, request.actor, now, modelConfigAudit(project.key, config, 'updateAIModelConfigRestricted', `restricted the model config ${config.name}`));
      }
      return representRestrictedModels(successes, errors);
    });
  });
}
