// GET /api/v2/flags/{projectKey}/{featureFlagKey}/expiring-targets/{environmentKey} — the scheduled removals of contexts from the flag's individual targeting in the environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readFlagExpiringTargets, type ExpiringParams } from './expiringTargets.js';

export function getExpiringContextTargets(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ExpiringParams }>('/api/v2/flags/:projectKey/:featureFlagKey/expiring-targets/:environmentKey', async (request) => readFlagExpiringTargets(deps, request.params, 'context'));
}
