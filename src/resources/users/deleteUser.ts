// DELETE /api/v2/users/{projectKey}/{environmentKey}/{userKey} — deleteContextInstances for the user's own
// instance (its id is the user key's), from every application: 204, 404 when the SDKs never sent the user alone. A
// user also held by multi-contexts is a 409 naming them, deleting nothing: they would keep it listed, and deleting
// them would take their other contexts too.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { conflict, notFound } from '../../http/errors.js';
import { checkUserKey, type UserParams } from '../context-settings/userSettings.js';
import { forgetInstance } from '../contexts/deleteContextInstances.js';
import { instanceIdOf } from '../contexts/instances.js';
import { multiContextIds } from '../contexts/records.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { userContext } from './users.js';

export function deleteUser(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: UserParams }>('/api/v2/users/:projectKey/:environmentKey/:userKey', async (request, reply) => {
    const { projectKey, environmentKey, userKey } = request.params;
    checkUserKey(userKey);
    const now = deps.now();
    await deps.store.tx(async (trx) => {
      const where = await findProjectEnvironment(trx, projectKey, environmentKey);
      const user = userContext(userKey);
      const multi = await multiContextIds(trx, where.environment.id, user);
      if (multi.length > 0) {
        throw conflict(
          `The user "${userKey}" is also part of ${multi.length} multi-context instance(s) (${multi.slice(0, 5).join(', ')}${multi.length > 5 ? ', …' : ''}); delete those with deleteContextInstances first`,
        );
      }
      const forgotten = await forgetInstance(trx, request.actor, now, where, instanceIdOf([user]), `deleted the user ${userKey} in ${where.environment.key}`);
      if (!forgotten) throw notFound(`User "${userKey}" in project "${where.project.key}", environment "${where.environment.key}"`);
    });
    return reply.code(204).send();
  });
}
