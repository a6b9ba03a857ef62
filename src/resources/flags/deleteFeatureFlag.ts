// DELETE /api/v2/flags/{projectKey}/{featureFlagKey} — delete a flag in every environment (refused while others depend on it).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject } from '../projects/projects.js';
import { guardFlagDeletion } from './guards.js';
import { deleteFlag, lockFlag, prerequisiteDependents } from './model.js';
import { representFlag } from './represent.js';
import { forgetExpiringTargets } from '../expiring-targets/model.js';

export function deleteFeatureFlag(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; featureFlagKey: string } }>('/api/v2/flags/:projectKey/:featureFlagKey', async (request, reply) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    const now = deps.now();
    const flagId = await deps.store.tx(async (trx) => {
      const flag = await lockFlag(trx, deps.store, project, request.params.featureFlagKey);
      const dependents = [...new Set((await prerequisiteDependents(trx, project.id, flag.row.key)).map((d) => `"${d.flagKey}"`))];
      if (dependents.length > 0) {
        throw conflict(`Flag "${flag.row.key}" is a prerequisite of ${dependents.join(', ')}; remove those prerequisites before deleting it`);
      }
      // A holdout's flag lives as long as its holdout (holdouts have no delete, as in LaunchDarkly).
      const holdout = await trx
        .selectFrom('holdouts as h')
        .innerJoin('environments as e', 'e.id', 'h.environment_id')
        .select(['h.key', 'e.key as environmentKey'])
        .where('e.project_id', '=', project.id)
        .where('h.flag_key', '=', flag.row.key)
        .executeTakeFirst();
      if (holdout) throw conflict(`Flag "${flag.row.key}" is the flag of holdout "${holdout.key}" in environment "${holdout.environmentKey}"; it cannot be deleted`);
      await guardFlagDeletion(trx, deps.store, project, flag);
      await deleteFlag(trx, flag.row.id);
      await forgetExpiringTargets(trx, { resource: 'flag', resourceId: flag.row.id });
      await recordAudit(trx, request.actor, now, {
        kind: 'flag',
        resource: `proj/${project.key}:env/*:flag/${flag.row.key}`,
        action: 'deleteFlag',
        name: flag.doc.name,
        description: `deleted the flag ${flag.doc.name}`,
        projectKey: project.key,
        before: representFlag(project.key, { key: flag.row.key, doc: flag.doc }),
      });
      return flag.row.id;
    });
    deps.changed({ kind: 'flag', projectId: project.id, id: flagId });
    return reply.code(204).send();
  });
}
