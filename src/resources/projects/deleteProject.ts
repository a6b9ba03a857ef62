// DELETE /api/v2/projects/{projectKey} — delete a project and everything in it (admin); the last project stays.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';
import { lockNames } from '../../store/locks.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject, representProject } from './projects.js';
import { forgetExpiringTargets } from '../expiring-targets/model.js';

export function deleteProject(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string } }>('/api/v2/projects/:projectKey', async (request, reply) => {
    const now = deps.now();
    const projectId = await deps.store.tx(async (trx) => {
      // Deletes of projects run one at a time: two deleting the last two projects would each count the other as
      // remaining. One that waited here finds the project it names gone if the one before deleted it (a 404).
      await lockNames(trx, deps.store, ['account:project-deletes']);
      const row = await findProject(trx, request.params.projectKey);
      await lockProject(trx, deps.store, row.id);
      const others = await trx.selectFrom('projects').select('id').where('id', '!=', row.id).limit(1).execute();
      if (others.length === 0) throw new ApiError(400, 'invalid_request', `Project "${row.key}" is the last project of the account; LaunchDarkly does not delete the last project`);
      // Environments, flags, metrics, groups, experiments, layers and settings go with it (foreign keys cascade).
      await trx.deleteFrom('projects').where('id', '=', row.id).execute();
      await forgetExpiringTargets(trx, { projectId: row.id });
      await recordAudit(trx, request.actor, now, {
        kind: 'project',
        resource: `proj/${row.key}`,
        action: 'deleteProject',
        name: row.name,
        description: `deleted the project ${row.name}`,
        projectKey: row.key,
        before: representProject(row),
      });
      return row.id;
    });
    deps.changed({ kind: 'project', projectId });
    return reply.code(204).send();
  });
}
