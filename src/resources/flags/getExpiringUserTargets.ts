// GET /api/v2/flags/{projectKey}/{featureFlagKey}/expiring-user-targets/{environmentKey} — the same for user contexts (the older form of getExpiringContextTargets).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readFlagExpiringTargets, type ExpiringParams } from './expiringTargets.js';

export function getExpiringUserTargets(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ExpiringParams }>('/api/v2/flags/:projectKey/:featureFlagKey/expiring-user-targets/:environmentKey', async (request) => readFlagExpiringTargets(deps, request.params, 'user'));
}
