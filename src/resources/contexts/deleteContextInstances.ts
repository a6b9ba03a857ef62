// DELETE …/context-instances/{id} — forgets a context instance (from every application that sent it): 204, or 404
// when the environment has none with that id. Its contexts stay as far as other instances hold them.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { recordAudit } from '../audit-log/record.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { deleteInstance, resolveInstanceId } from './records.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  id: string;
}

export function deleteContextInstances(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/context-instances/:id', async (request, reply) => {
    const { projectKey, environmentKey, id } = request.params;
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const { project, environment } = await findProjectEnvironment(trx, projectKey, environmentKey);
      const instanceId = await resolveInstanceId(trx, environment.id, id);
      if ((await deleteInstance(trx, environment.id, instanceId)) === 0) throw notFound(`Context instance "${id}" in project "${project.key}", environment "${environment.key}"`);
      await recordAudit(trx, request.actor, now, {
        kind: 'environment',
        resource: `proj/${project.key}:env/${environment.key}`,
        action: 'deleteContextInstances',
        name: environment.key,
        projectKey: project.key,
        description: `deleted the context instance ${instanceId} in ${environment.key}`,
      });
    });
    return reply.code(204).send();
  });
}
