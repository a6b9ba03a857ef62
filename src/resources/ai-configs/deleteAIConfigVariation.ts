// DELETE /api/v2/projects/{projectKey}/ai-configs/{configKey}/variations/{variationKey} — delete a variation, every
// version of it, and its value from the config's flag: 204. A variation that targeting serves (in any environment)
// cannot be deleted: point targeting elsewhere first; nor one an agent optimization starts from.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { optimizationsStartingFrom } from '../agent-optimizations/model.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { commitConfigWrite, refuseIfServed } from './backingFlag.js';
import { AI_CONFIG_URL, findVariation, type ConfigParams } from './model.js';
import { configAudit, representVariation } from './represent.js';
import { saveConfig } from './writes.js';

export function deleteAIConfigVariation(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: ConfigParams & { variationKey: string } }>(`${AI_CONFIG_URL}/variations/:variationKey`, async (request, reply) => {
    const now = deps.now();
    const project = await findProject(deps.store.db, request.params.projectKey);
    await commitConfigWrite(deps, request.actor, project, request.params.configKey, undefined, async (trx, config, flag) => {
      const variation = findVariation(config, request.params.variationKey);
      await refuseIfServed(trx, flag, variation, 'variationKey', 'deleted');
      const optimizations = await optimizationsStartingFrom(trx, project.id, config.row.key, variation.key);
      if (optimizations.length > 0) {
        throw validationFailed([{ attribute: 'variationKey', reason: `variation "${variation.key}" is where agent optimization ${optimizations.map((key) => `"${key}"`).join(', ')} start(s); point their variationKey elsewhere first` }]);
      }
      await trx.deleteFrom('ai_config_variations').where('config_id', '=', config.row.id).where('key', '=', variation.key).execute();
      await saveConfig(trx, config, config.doc, now);
      const description = `deleted variation ${variation.doc.name} of the AI Config ${config.doc.name}`;
      await recordAudit(trx, request.actor, now, configAudit(project.key, config.row.key, config.doc.name, 'deleteAIConfigVariation', description, { before: representVariation(project.key, config.row.key, variation) }));
    });
    return reply.code(204).send();
  });
}
