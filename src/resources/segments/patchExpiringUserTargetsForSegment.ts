// PATCH /api/v2/segments/{projectKey}/{segmentKey}/expiring-user-targets/{environmentKey} — the same with user keys (the older form of patchExpiringTargetsForSegment).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { patchSegmentExpiringTargets, type SegmentExpiringParams } from './expiringTargets.js';

export function patchExpiringUserTargetsForSegment(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: SegmentExpiringParams }>('/api/v2/segments/:projectKey/:segmentKey/expiring-user-targets/:environmentKey', async (request) => patchSegmentExpiringTargets(deps, request.actor, request.params, request.body, 'user'));
}
