// PATCH /api/v2/projects/{projectKey}/ai-configs/{configKey} — the fields to change, as a JSON object (not a JSON
// Patch): name, description, tags, maintainerId or maintainerTeamKey, evaluationMetricKey, isInverted. 200 with the
// config; a change moves its version on, and a judge's new evaluation metric key reaches SDKs. No change, no write.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { commitConfigWrite } from './backingFlag.js';
import { AI_CONFIG_URL, AIConfigPatch, maintainerOf, maintainerProblems, type AIConfigDoc, type ConfigParams } from './model.js';
import { configAudit, representAIConfig } from './represent.js';
import { saveConfig } from './writes.js';

export function patchAIConfig(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: ConfigParams }>(AI_CONFIG_URL, { config: { optionalBody: true } }, async (request) => {
    // The body is optional in LaunchDarkly's spec: none (or ldcli's `null`, made `{}` by the edge) changes nothing.
    const body = request.body;
    const errors = check(AIConfigPatch, body);
    if (errors.length > 0) throw validationFailed(errors);
    const patch = body as AIConfigPatch;
    const now = deps.now();
    const project = await findProject(deps.store.db, request.params.projectKey);
    return commitConfigWrite(deps, request.actor, project, request.params.configKey, patch, async (trx, config) => {
      const problems = await maintainerProblems(trx, patch);
      if (problems.length > 0) throw validationFailed(problems);
      const { version: _v, updatedAt: _u, ...old } = config.doc;
      const next: Omit<AIConfigDoc, 'version' | 'updatedAt'> = { ...old };
      if (patch.name !== undefined) next.name = patch.name;
      if (patch.description !== undefined) next.description = patch.description;
      if (patch.tags !== undefined) next.tags = patch.tags;
      if (patch.evaluationMetricKey !== undefined) next.evaluationMetricKey = patch.evaluationMetricKey;
      if (patch.isInverted !== undefined) next.isInverted = patch.isInverted;
      // A config has one maintainer: naming a member or a team replaces whichever it had.
      if (patch.maintainerId !== undefined) {
        delete next.maintainerTeamKey;
        next.maintainerId = patch.maintainerId;
      }
      if (patch.maintainerTeamKey !== undefined) {
        delete next.maintainerId;
        next.maintainerTeamKey = patch.maintainerTeamKey;
      }
      const before = representAIConfig(project.key, config, await maintainerOf(trx, config.doc));
      if (deepEqual(next, old)) return before;
      const doc = await saveConfig(trx, config, next, now);
      const after = representAIConfig(project.key, { ...config, doc }, await maintainerOf(trx, doc));
      await recordAudit(trx, request.actor, now, configAudit(project.key, config.row.key, doc.name, 'updateAIConfig', `updated the AI Config ${doc.name}`, { delta: patch, before, after }));
      return after;
    });
  });
}
