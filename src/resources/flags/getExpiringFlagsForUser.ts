// GET /api/v2/users/{projectKey}/{userKey}/expiring-user-targets/{environmentKey} — a user's scheduled removals from
// the individual targeting of every flag in the environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readUserExpiringFlags, type UserExpiringParams } from './expiringTargets.js';

export function getExpiringFlagsForUser(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: UserExpiringParams }>('/api/v2/users/:projectKey/:userKey/expiring-user-targets/:environmentKey', async (request) => readUserExpiringFlags(deps, request.params));
}
