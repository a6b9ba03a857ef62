// PATCH /api/v2/projects/{projectKey}/ai-configs/{configKey}/variations/{variationKey} — the fields to change, as a
// JSON object (not a JSON Patch): 200 with the variation's new version (one more), which SDKs are served from then
// on. `state` (or `published`) archives or publishes it; a variation targeting serves cannot be archived. A patch
// that changes nothing (a `comment` alone included) makes no version.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed } from '../../http/errors.js';
import { deepEqual } from '../../http/patch/jsonPatch.js';
import { check } from '../../http/validation.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { commitConfigWrite, refuseIfServed } from './backingFlag.js';
import { AI_CONFIG_URL, AIConfigVariationPatch, findVariation, resolveToolKeys, variationProblems, type ConfigParams, type VariationDoc } from './model.js';
import { configAudit, representVariation } from './represent.js';
import { insertVersion, saveConfig } from './writes.js';

const FIELDS = ['name', 'comment', 'description', 'instructions', 'messages', 'model', 'modelConfigKey', 'tools', 'judgeConfiguration', 'outputFormat'] as const;

export function patchAIConfigVariation(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: ConfigParams & { variationKey: string } }>(`${AI_CONFIG_URL}/variations/:variationKey`, { config: { optionalBody: true } }, async (request) => {
    const body = request.body;
    const errors = check(AIConfigVariationPatch, body);
    if (errors.length > 0) throw validationFailed(errors);
    const patch = body as AIConfigVariationPatch;
    if (patch.published !== undefined && patch.state !== undefined && (patch.state === 'published') !== patch.published) {
      throw validationFailed([{ attribute: 'published', reason: `says the opposite of state "${patch.state}"` }]);
    }
    const now = deps.now();
    const project = await findProject(deps.store.db, request.params.projectKey);
    return commitConfigWrite(deps, request.actor, project, request.params.configKey, patch, async (trx, config, flag) => {
      const current = findVariation(config, request.params.variationKey);
      const doc: VariationDoc = { ...current.doc };
      for (const field of FIELDS) if (patch[field] !== undefined) Object.assign(doc, { [field]: patch[field] });
      const state = patch.state ?? (patch.published === undefined ? undefined : patch.published ? 'published' : 'archived');
      if (state !== undefined && state !== current.doc.state) {
        doc.state = state;
        if (state === 'archived') {
          doc.archivedAt = now;
          await refuseIfServed(trx, flag, current, 'state', 'archived');
        } else {
          doc.publishedAt = now;
          delete doc.archivedAt;
        }
      }
      // toolKeys names the variation's tools (with those `tools` gives): each at its newest version.
      const tooled = await resolveToolKeys(trx, project.id, patch);
      if (patch.toolKeys !== undefined) doc.tools = tooled.tools;
      const problems = [...tooled.problems, ...(await variationProblems(trx, project.id, config.doc.mode, doc, current.doc))];
      if (problems.length > 0) throw validationFailed(problems);
      const before = representVariation(project.key, config.row.key, current);
      if (deepEqual({ ...doc, comment: undefined }, { ...current.doc, comment: undefined })) return before;
      const next = { ...current, version: current.version + 1, doc, createdAt: now };
      await insertVersion(trx, config.row.id, next);
      await saveConfig(trx, config, config.doc, now);
      const after = representVariation(project.key, config.row.key, next);
      const description = `updated variation ${doc.name} of the AI Config ${config.doc.name}`;
      await recordAudit(trx, request.actor, now, configAudit(project.key, config.row.key, config.doc.name, 'updateAIConfigVariation', description, { delta: patch, before, after }));
      return after;
    });
  });
}
