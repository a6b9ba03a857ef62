// DELETE /api/v2/projects/{projectKey}/ai-configs/{configKey} — delete an AI Config, its variations and its flag
// (SDKs then find no flag of that key): 204. Refused while another flag has its flag as a prerequisite, or while an
// agent graph has it as a node, or an agent optimization optimizes it or judges with it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { lockNames } from '../../store/locks.js';
import { graphsNaming } from '../agent-graphs/model.js';
import { optimizationsNaming } from '../agent-optimizations/model.js';
import { recordAudit } from '../audit-log/record.js';
import { forgetExpiringTargets } from '../expiring-targets/model.js';
import { guardFlagDeletion } from '../flags/guards.js';
import { deleteFlag, lockFlag, prerequisiteDependents } from '../flags/model.js';
import { prerequisitesLock } from '../flags/dependents.js';
import { findProject } from '../projects/projects.js';
import { AI_CONFIG_URL, findAIConfig, maintainerOf, type ConfigParams } from './model.js';
import { configAudit, representAIConfig } from './represent.js';

export function deleteAIConfig(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: ConfigParams }>(AI_CONFIG_URL, async (request, reply) => {
    const now = deps.now();
    const project = await findProject(deps.store.db, request.params.projectKey);
    // Before the flag is looked for, so that a missing config is named as one.
    await findAIConfig(deps.store.db, project, request.params.configKey);
    const flagId = await deps.store.tx(async (trx) => {
      const flag = await lockFlag(trx, deps.store, project, request.params.configKey);
      // Read after the lock that adding a prerequisite takes: one added meanwhile is seen.
      await lockNames(trx, deps.store, [prerequisitesLock(project.id)]);
      const config = await findAIConfig(trx, project, request.params.configKey, deps.store);
      const dependents = [...new Set((await prerequisiteDependents(trx, project.id, flag.row.key)).map((d) => `"${d.flagKey}"`))];
      if (dependents.length > 0) {
        throw validationFailed([{ attribute: 'configKey', reason: `the flag of AI Config "${config.row.key}" is a prerequisite of flag ${dependents.join(', ')}; remove those prerequisites first` }]);
      }
      const graphs = await graphsNaming(trx, project.id, config.row.key);
      if (graphs.length > 0) {
        throw validationFailed([{ attribute: 'configKey', reason: `AI Config "${config.row.key}" is a node of agent graph ${graphs.map((key) => `"${key}"`).join(', ')}; remove it from those graphs first` }]);
      }
      const optimizations = await optimizationsNaming(trx, project.id, config.row.key);
      if (optimizations.length > 0) {
        throw validationFailed([{ attribute: 'configKey', reason: `AI Config "${config.row.key}" is optimized or judges in agent optimization ${optimizations.map((key) => `"${key}"`).join(', ')}; delete those optimizations (or take it out of their judges) first` }]);
      }
      await guardFlagDeletion(trx, deps.store, project, flag, 'ai-config');
      const before = representAIConfig(project.key, config, await maintainerOf(trx, config.doc));
      await trx.deleteFrom('ai_config_variations').where('config_id', '=', config.row.id).execute();
      await trx.deleteFrom('ai_configs').where('id', '=', config.row.id).execute();
      await deleteFlag(trx, flag.row.id);
      await forgetExpiringTargets(trx, { resource: 'flag', resourceId: flag.row.id });
      await recordAudit(trx, request.actor, now, configAudit(project.key, config.row.key, config.doc.name, 'deleteAIConfig', `deleted the AI Config ${config.doc.name}`, { before }));
      return flag.row.id;
    });
    deps.changed({ kind: 'flag', projectId: project.id, id: flagId });
    return reply.code(204).send();
  });
}
