// DELETE /api/v2/projects/{projectKey}/environments/{environmentKey} — delete an environment and its flag targeting (admin).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { recordAudit } from '../audit-log/record.js';
import { findProject, lockProject } from '../projects/projects.js';
import { lockEnvironment, representEnvironment } from './environments.js';
import { forgetExpiringTargets } from '../expiring-targets/model.js';

export function deleteEnvironment(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; environmentKey: string } }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey',
    async (request, reply) => {
      const project = await findProject(deps.store.db, request.params.projectKey);
      const now = deps.now();
      const environmentId = await deps.store.tx(async (trx) => {
        // Serializes with flag creation, which adds targeting in every environment of the project.
        await lockProject(trx, deps.store, project.id);
        const row = await lockEnvironment(trx, deps.store, project, request.params.environmentKey);
        // Flag targeting, experiments (with their iterations) and layer reservations in it go too (foreign keys cascade).
        await trx.deleteFrom('environments').where('id', '=', row.id).execute();
        await forgetExpiringTargets(trx, { environmentId: row.id });
        await recordAudit(trx, request.actor, now, {
          kind: 'environment',
          resource: `proj/${project.key}:env/${row.key}`,
          action: 'deleteEnvironment',
          name: row.name,
          description: `deleted the environment ${row.name}`,
          projectKey: project.key,
          before: representEnvironment(project.key, row),
        });
        return row.id;
      });
      deps.changed({ kind: 'environment', projectId: project.id, id: environmentId });
      return reply.code(204).send();
    },
  );
}
