// PATCH /api/v2/users/{projectKey}/{userKey}/expiring-user-targets/{environmentKey} — schedule, move or cancel a
// user's removal from the individual targeting of the flags its instructions name (writer); each on its own.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { patchUserExpiringFlags, type UserExpiringParams } from './expiringTargets.js';

export function patchExpiringFlagsForUser(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: UserExpiringParams }>('/api/v2/users/:projectKey/:userKey/expiring-user-targets/:environmentKey', async (request) =>
    patchUserExpiringFlags(deps, request.actor, request.params, request.body),
  );
}
