// GET /api/v2/segments/{projectKey}/{segmentKey}/expiring-user-targets/{environmentKey} — the same for user contexts (the older form of getExpiringTargetsForSegment).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readSegmentExpiringTargets, type SegmentExpiringParams } from './expiringTargets.js';

export function getExpiringUserTargetsForSegment(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: SegmentExpiringParams }>('/api/v2/segments/:projectKey/:segmentKey/expiring-user-targets/:environmentKey', async (request) => readSegmentExpiringTargets(deps, request.params, 'user'));
}
