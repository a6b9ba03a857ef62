// POST /api/v2/projects/{projectKey}/ai-configs/model-configs — a model config of the project's own: 200 with it
// (LaunchDarkly answers 200 here, not 201), version 1, unrestricted. Its key may be no other model config's, global ones' included.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict, conflictOnDuplicate, validationFailed } from '../../http/errors.js';
import { objectId } from '../../store/ids.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { globalModelConfig, MODEL_CONFIGS_URL, ModelConfigPost, modelConfigOf, RESERVED_MODEL_CONFIG_KEYS, type ModelConfigDoc, type ModelConfigRow } from './model.js';
import { modelConfigAudit, representModelConfig } from './represent.js';

export function postModelConfig(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { projectKey: string }; Body: ModelConfigPost }>(MODEL_CONFIGS_URL, { schema: { body: ModelConfigPost } }, async (request) => {
    const { key, ...fields } = request.body;
    if (RESERVED_MODEL_CONFIG_KEYS.includes(key)) throw validationFailed([{ attribute: 'key', reason: `"${key}" is a path segment of the model configs' routes; choose another key` }]);
    const now = deps.now();
    const duplicate = `A model config with key "${key}" already exists in project "${request.params.projectKey}"`;
    if (globalModelConfig(key)) throw conflict(`${duplicate} (a global one)`);
    return conflictOnDuplicate(
      () =>
        deps.store.tx(async (trx) => {
          const project = await findProject(trx, request.params.projectKey);
          const doc: ModelConfigDoc = { ...fields, tags: fields.tags ?? [], version: 1 };
          const row: ModelConfigRow = { id: objectId(now), project_id: project.id, key, doc: JSON.stringify(doc), created_at: now };
          await trx.insertInto('ai_model_configs').values(row).execute();
          const config = modelConfigOf(row);
          const shown = representModelConfig(config, false);
          await recordAudit(trx, request.actor, now, modelConfigAudit(project.key, config, 'createAIModelConfig', `created the model config ${config.name}`, { after: shown }));
          return shown;
        }),
      duplicate,
    );
  });
}
