// PATCH /api/v2/projects/{projectKey}/ai-configs/{configKey}/targeting — a semantic patch {environmentKey,
// instructions, comment?} on the config's targeting in one environment (its flag's): 200 with the targeting. The
// instructions are all applied or none; SDKs follow at once. `turnFlagOn`/`turnFlagOff` are not among them: an AI
// Config is served by pointing targeting at a variation, the disabled one being a variation too.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { readSemanticPatch } from '../../http/patch/semanticPatch.js';
import { commitFlagUpdate } from '../flags/commitUpdate.js';
import { applyInstructions } from '../flags/instructions.js';
import { findProject } from '../projects/projects.js';
import { AI_CONFIG_URL, findAIConfig, type ConfigParams } from './model.js';
import { configResource } from './represent.js';
import { loadTargeting, TARGETING_INSTRUCTIONS } from './targeting.js';

export function patchAIConfigTargeting(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: ConfigParams }>(`${AI_CONFIG_URL}/targeting`, { config: { optionalBody: true } }, async (request) => {
    const patch = readSemanticPatch(request.body, TARGETING_INSTRUCTIONS);
    if (patch.environmentKey === undefined) throw validationFailed([{ attribute: 'environmentKey', reason: 'must be present: AI Config targeting is changed in one environment at a time' }]);
    const environmentKey = patch.environmentKey;
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const config = await findAIConfig(db, project, request.params.configKey);
    await commitFlagUpdate(deps, {
      project,
      flagKey: config.row.key,
      actor: request.actor,
      origin: 'ai-config',
      update: { comment: patch.comment, delta: request.body, apply: (rep, context) => applyInstructions(rep, patch, context) },
      inside: async (trx) => {
        await findAIConfig(trx, project, config.row.key);
        return true;
      },
      audit: (_doc, changed) => ({
        kind: 'aiconfig',
        resource: configResource(project.key, config.row.key, changed.length === 1 ? changed[0] : environmentKey),
        action: 'updateAIConfigTargeting',
        description: `updated the targeting of the AI Config ${config.doc.name} in ${changed.join(', ') || environmentKey}`,
      }),
    });
    return loadTargeting(db, project, await findAIConfig(db, project, config.row.key));
  });
}
