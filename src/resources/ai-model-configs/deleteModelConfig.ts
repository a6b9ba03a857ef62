// DELETE /api/v2/projects/{projectKey}/ai-configs/model-configs/{modelConfigKey} — delete one of the project's model
// configs: 204. Global ones cannot be deleted, nor one that a variation of an AI Config uses (its current version).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound, validationFailed } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { configsUsingModelConfig } from '../ai-configs/model.js';
import { findProject } from '../projects/projects.js';
import { globalModelConfig, MODEL_CONFIGS_URL, modelConfigOf } from './model.js';
import { modelConfigAudit, representModelConfig } from './represent.js';

export function deleteModelConfig(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; modelConfigKey: string } }>(`${MODEL_CONFIGS_URL}/:modelConfigKey`, async (request, reply) => {
    const { modelConfigKey: key } = request.params;
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      let query = trx.selectFrom('ai_model_configs').selectAll().where('project_id', '=', project.id).where('key', '=', key);
      if (deps.store.kind === 'postgres') query = query.forUpdate();
      const row = await query.executeTakeFirst();
      if (!row) {
        if (globalModelConfig(key)) throw validationFailed([{ attribute: 'modelConfigKey', reason: `"${key}" is a global model config; global model configs cannot be deleted (restrict it instead)` }]);
        throw notFound(`Model config "${key}" in project "${project.key}"`);
      }
      const users = await configsUsingModelConfig(trx, project.id, key);
      if (users.length > 0) {
        const named = users.map((u) => `"${u.configKey}" (variation "${u.variationKey}")`).join(', ');
        throw validationFailed([{ attribute: 'modelConfigKey', reason: `model config "${key}" is used by AI Config ${named}; change those variations first` }]);
      }
      const config = modelConfigOf(row);
      const restricted = await trx.deleteFrom('ai_restricted_models').where('project_id', '=', project.id).where('key', '=', key).executeTakeFirst();
      await trx.deleteFrom('ai_model_configs').where('id', '=', row.id).execute();
      const before = representModelConfig(config, Number(restricted.numDeletedRows) > 0);
      await recordAudit(trx, request.actor, now, modelConfigAudit(project.key, config, 'deleteAIModelConfig', `deleted the model config ${config.name}`, { before }));
    });
    return reply.code(204).send();
  });
}
