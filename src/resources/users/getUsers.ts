// GET /api/v2/users/{projectKey}/{environmentKey} — every user the SDKs have sent (contexts of kind user), by key,
// `limit` at a time (20 by default, at most 50), the next page after `searchAfter` (the last key shown), with
// `totalCount`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { listUsers, type EnvironmentParams } from './listUsers.js';

export function getUsers(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: EnvironmentParams }>('/api/v2/users/:projectKey/:environmentKey', (request) => listUsers(deps, request, 'users', false));
}
