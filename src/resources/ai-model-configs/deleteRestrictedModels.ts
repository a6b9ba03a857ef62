// DELETE /api/v2/projects/{projectKey}/ai-configs/model-configs/restricted — lift the restriction of model configs,
// by key: 204 (a key that is not restricted is left as it is). A key that names no model config is a 404, and nothing changes.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { lookUpModelConfig, MODEL_CONFIGS_URL, RestrictedModelsRequest, restrictedKeys } from './model.js';
import { modelConfigAudit } from './represent.js';

export function deleteRestrictedModels(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string }; Body: RestrictedModelsRequest }>(`${MODEL_CONFIGS_URL}/restricted`, { schema: { body: RestrictedModelsRequest } }, async (request, reply) => {
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const project = await findProject(trx, request.params.projectKey);
      const restricted = await restrictedKeys(trx, project.id);
      for (const key of new Set(request.body.keys)) {
        const config = await lookUpModelConfig(trx, project.id, key);
        if (!config) throw notFound(`Model config "${key}" in project "${project.key}"`);
        if (!restricted.has(key)) continue;
        // On PostgreSQL a concurrent lift may take the row after the read: then this one lifted nothing, and says nothing.
        const lifted = await trx.deleteFrom('ai_restricted_models').where('project_id', '=', project.id).where('key', '=', key).executeTakeFirst();
        if (Number(lifted.numDeletedRows) === 0) continue;
        await recordAudit(trx, request.actor, now, modelConfigAudit(project.key, config, 'updateAIModelConfigRestricted', `lifted the restriction of the model config ${config.name}`));
      }
    });
    return reply.code(204).send();
  });
}
