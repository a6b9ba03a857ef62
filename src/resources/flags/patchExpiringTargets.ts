// PATCH /api/v2/flags/{projectKey}/{featureFlagKey}/expiring-targets/{environmentKey} — schedule, move or cancel contexts' removal from the flag's individual targeting (writer); each instruction on its own.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { patchFlagExpiringTargets, type ExpiringParams } from './expiringTargets.js';

export function patchExpiringTargets(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: ExpiringParams }>('/api/v2/flags/:projectKey/:featureFlagKey/expiring-targets/:environmentKey', async (request) => patchFlagExpiringTargets(deps, request.actor, request.params, request.body, 'context'));
}
