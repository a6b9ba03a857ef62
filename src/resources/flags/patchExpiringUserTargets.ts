// PATCH /api/v2/flags/{projectKey}/{featureFlagKey}/expiring-user-targets/{environmentKey} — the same with user keys (the older form of patchExpiringTargets).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { patchFlagExpiringTargets, type ExpiringParams } from './expiringTargets.js';

export function patchExpiringUserTargets(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: ExpiringParams }>('/api/v2/flags/:projectKey/:featureFlagKey/expiring-user-targets/:environmentKey', async (request) => patchFlagExpiringTargets(deps, request.actor, request.params, request.body, 'user'));
}
