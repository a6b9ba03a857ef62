// GET /api/v2/users/{projectKey}/{environmentKey}/{userKey} — one user as the SDKs last sent it (any application),
// or 404 when none has.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { checkUserKey, type UserParams } from '../context-settings/userSettings.js';
import { representUser } from './represent.js';
import { findUser } from './users.js';

export function getUser(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: UserParams }>('/api/v2/users/:projectKey/:environmentKey/:userKey', async (request) => {
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    checkUserKey(request.params.userKey);
    const view = await findUser(deps.store.db, environment.id, request.params.userKey);
    if (!view) throw notFound(`User "${request.params.userKey}" in project "${project.key}", environment "${environment.key}"`);
    return representUser({ projectKey: project.key, environmentKey: environment.key }, { environmentId: environment.id, ownerId: deps.accountId }, view);
  });
}
