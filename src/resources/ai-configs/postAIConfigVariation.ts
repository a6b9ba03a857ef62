// POST /api/v2/projects/{projectKey}/ai-configs/{configKey}/variations — a new variation of the config (version 1,
// published): 201 with it. Its value joins the config's flag, served wherever targeting points at its `_id`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict, validationFailed } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { commitConfigWrite } from './backingFlag.js';
import { AI_CONFIG_URL, AIConfigVariationPost, newVariation, resolveToolKeys, variationProblems, type ConfigParams } from './model.js';
import { configAudit, representVariation } from './represent.js';
import { insertVersion, saveConfig } from './writes.js';

export function postAIConfigVariation(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: ConfigParams; Body: AIConfigVariationPost }>(`${AI_CONFIG_URL}/variations`, { schema: { body: AIConfigVariationPost } }, async (request, reply) => {
    const body = request.body;
    const now = deps.now();
    const project = await findProject(deps.store.db, request.params.projectKey);
    const shown = await commitConfigWrite(deps, request.actor, project, request.params.configKey, body, async (trx, config) => {
      if (config.variations.some((v) => v.key === body.key)) throw conflict(`AI Config "${config.row.key}" already has a variation with key "${body.key}"`);
      const tooled = await resolveToolKeys(trx, project.id, body);
      const variation = newVariation({ ...body, ...(tooled.tools ? { tools: tooled.tools } : {}) }, now);
      const problems = [...tooled.problems, ...(await variationProblems(trx, project.id, config.doc.mode, variation.doc, undefined))];
      if (problems.length > 0) throw validationFailed(problems);
      await insertVersion(trx, config.row.id, variation);
      await saveConfig(trx, config, config.doc, now);
      const rep = representVariation(project.key, config.row.key, variation);
      await recordAudit(trx, request.actor, now, configAudit(project.key, config.row.key, config.doc.name, 'updateAIConfigVariation', `added variation ${variation.doc.name} to the AI Config ${config.doc.name}`, { after: rep }));
      return rep;
    });
    return reply.code(201).send(shown);
  });
}
