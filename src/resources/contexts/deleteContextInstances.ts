// DELETE …/context-instances/{id} — forgets a context instance (from every application that sent it): 204, or 404
// when the environment has none with that id. Its contexts stay as far as other instances hold them.
import type { FastifyInstance } from 'fastify';
import type { Actor, Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import type { Trx } from '../../store/db.js';
import { recordAudit } from '../audit-log/record.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { deleteInstance, resolveInstanceId } from './records.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  id: string;
}

/**
 * Forgets an instance in the caller's transaction and audits it on the environment (`deleteContextInstances`, as
 * deleteUser's deletion is too); false, auditing nothing, when the environment has no such instance.
 */
export async function forgetInstance(
  trx: Trx,
  actor: Actor | undefined,
  now: number,
  where: { project: { key: string }; environment: { id: string; key: string } },
  instanceId: string,
  description: string,
): Promise<boolean> {
  const { project, environment } = where;
  if ((await deleteInstance(trx, environment.id, instanceId)) === 0) return false;
  await recordAudit(trx, actor, now, {
    kind: 'environment',
    resource: `proj/${project.key}:env/${environment.key}`,
    action: 'deleteContextInstances',
    name: environment.key,
    projectKey: project.key,
    description,
  });
  return true;
}

export function deleteContextInstances(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/context-instances/:id', async (request, reply) => {
    const { projectKey, environmentKey, id } = request.params;
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const where = await findProjectEnvironment(trx, projectKey, environmentKey);
      const instanceId = await resolveInstanceId(trx, where.environment.id, id);
      if (!(await forgetInstance(trx, request.actor, now, where, instanceId, `deleted the context instance ${instanceId} in ${where.environment.key}`))) {
        throw notFound(`Context instance "${id}" in project "${where.project.key}", environment "${where.environment.key}"`);
      }
    });
    return reply.code(204).send();
  });
}
