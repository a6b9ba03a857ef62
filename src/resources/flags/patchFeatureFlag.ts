// PATCH /api/v2/flags/{projectKey}/{featureFlagKey} — change a flag: JSON Patch, JSON merge patch or semantic patch.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { validationFailed, type FieldError } from '../../http/errors.js';
import { parseBooleanParam } from '../../http/filter.js';
import type { Trx } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { listEnvironments, type EnvironmentRow } from '../environments/environments.js';
import { findMember } from '../members/members.js';
import { applyEdits, type EditResult } from './editable.js';
import { guardFlagChange } from './guards.js';
import { loadFlag, lockFlag, prerequisiteDependents, saveFlag, saveFlagConfig, type LoadedFlag } from './model.js';
import { representFlag } from './represent.js';
import { maintainerOf, withConfigs } from './scope.js';
import { parseFlagUpdate } from './update.js';
import { checkPrerequisites, checkSegmentReferences } from './validate.js';

/** What the edit refers to outside the flag: the maintainer, prerequisite flags, segments, and flags that depend on this one. */
async function checkReferences(trx: Trx, projectId: string, before: LoadedFlag, result: EditResult, environments: EnvironmentRow[]): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const maintainerId = result.doc.maintainerId;
  if (maintainerId !== undefined && maintainerId !== before.doc.maintainerId && !(await findMember(trx, maintainerId))) {
    errors.push({ attribute: 'maintainerId', reason: `there is no member with _id "${maintainerId}"` });
  }
  const changed = environments.flatMap((env) => {
    const config = result.changedConfigs.get(env.id);
    return config ? [{ key: env.key, id: env.id, config }] : [];
  });
  errors.push(...(await checkPrerequisites(trx, projectId, changed)), ...(await checkSegmentReferences(trx, changed)));
  const archiving = result.doc.archived && !before.doc.archived;
  const variationMap = result.variationMap;
  if (variationMap || archiving) {
    const dependents = await prerequisiteDependents(trx, projectId, before.row.key);
    if (archiving && dependents.length > 0) {
      const names = [...new Set(dependents.map((d) => `"${d.flagKey}"`))].join(', ');
      errors.push({ attribute: 'archived', reason: `flag "${before.row.key}" is a prerequisite of ${names}; remove those prerequisites before archiving it` });
    }
    for (const dependent of dependents) {
      if (!variationMap) break;
      const moved = variationMap(dependent.variation);
      if (moved === dependent.variation) continue;
      const envKey = environments.find((env) => env.id === dependent.environmentId)?.key ?? dependent.environmentId;
      errors.push({
        attribute: 'variations',
        reason: `variation ${dependent.variation} is what flag "${dependent.flagKey}" requires as a prerequisite in environment "${envKey}"; it cannot be ${moved < 0 ? 'removed' : 'moved'} while that flag depends on it`,
      });
    }
  }
  return errors;
}

export function patchFeatureFlag(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { projectKey: string; featureFlagKey: string } }>('/api/v2/flags/:projectKey/:featureFlagKey', async (request) => {
    const query = request.query as Record<string, unknown>;
    const dryRun = parseBooleanParam(query.dryRun, 'dryRun') ?? false;
    parseBooleanParam(query.ignoreConflicts, 'ignoreConflicts');
    const update = parseFlagUpdate(request.body, request.headers['content-type']);
    const project = await deps.catalog.project(request.params.projectKey);
    const now = deps.now();
    const outcome = await deps.store.tx(async (trx) => {
      const before = await lockFlag(trx, deps.store, project, request.params.featureFlagKey);
      const flagKey = before.row.key;
      const environments = (await listEnvironments(trx, project.id)).filter((env) => before.configs.has(env.id));
      const maintainer = await maintainerOf(trx, before.doc);
      const beforeRep = representFlag(project.key, {
        key: flagKey,
        doc: before.doc,
        environments: withConfigs(environments, before.configs),
        maintainer,
      });
      const edited = await update.apply(beforeRep, {
        environmentKeys: new Set(environments.map((env) => env.key)),
        flagKey,
        otherFlag: async (key) => (await loadFlag(trx, project.id, key))?.doc,
      });
      const result = applyEdits({
        flagKey,
        before,
        beforeRep,
        edited,
        environments: new Map(environments.map((env) => [env.key, { id: env.id }])),
        now,
      });
      if (!result.changed) return { rep: beforeRep, written: false };
      const errors = await checkReferences(trx, project.id, before, result, environments);
      if (errors.length > 0) throw validationFailed(errors);
      const afterRep = representFlag(project.key, {
        key: flagKey,
        doc: result.doc,
        environments: withConfigs(environments, result.configs),
        // The same member unless the edit named another (read in this transaction either way).
        maintainer: result.doc.maintainerId === before.doc.maintainerId ? maintainer : await maintainerOf(trx, result.doc),
      });
      await guardFlagChange({
        trx,
        store: deps.store,
        projectId: project.id,
        projectKey: project.key,
        flagId: before.row.id,
        flagKey,
        before: { doc: before.doc, configs: before.configs },
        after: { doc: result.doc, configs: result.configs },
      });
      if (dryRun) return { rep: afterRep, written: false };
      await saveFlag(trx, before.row.id, result.doc);
      for (const [environmentId, config] of result.changedConfigs) await saveFlagConfig(trx, before.row.id, environmentId, config);
      const changedEnvs = environments.filter((env) => result.changedConfigs.has(env.id)).map((env) => env.key);
      await recordAudit(trx, request.actor, now, {
        kind: 'flag',
        resource: `proj/${project.key}:env/${changedEnvs.length === 1 ? changedEnvs[0] : '*'}:flag/${flagKey}`,
        action: 'updateFlag',
        name: result.doc.name,
        description: `updated the flag ${result.doc.name}${changedEnvs.length > 0 ? ` in ${changedEnvs.join(', ')}` : ''}`,
        projectKey: project.key,
        ...(update.comment !== undefined ? { comment: update.comment } : {}),
        delta: update.delta,
        before: beforeRep,
        after: afterRep,
      });
      return { rep: afterRep, written: true, flagId: before.row.id };
    });
    if (outcome.written) deps.changed({ kind: 'flag', projectId: project.id, id: outcome.flagId });
    return outcome.rep;
  });
}
