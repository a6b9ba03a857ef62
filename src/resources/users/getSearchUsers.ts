// GET /api/v2/user-search/{projectKey}/{environmentKey} — the users matching `q` (key, name, first or last name,
// email), `filter` (attribute:value pairs, all of them) and `after` (seen then or since), sorted by `sort` (userKey
// or lastSeen, `-` descending; by key when none) and paged by `searchAfter` or the deprecated `offset`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { listUsers, type EnvironmentParams } from './listUsers.js';

export function getSearchUsers(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: EnvironmentParams }>('/api/v2/user-search/:projectKey/:environmentKey', (request) => listUsers(deps, request, 'user-search', true));
}
