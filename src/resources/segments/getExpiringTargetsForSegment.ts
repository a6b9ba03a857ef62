// GET /api/v2/segments/{projectKey}/{segmentKey}/expiring-targets/{environmentKey} — the scheduled removals of contexts from the segment's included and excluded targets in the environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readSegmentExpiringTargets, type SegmentExpiringParams } from './expiringTargets.js';

export function getExpiringTargetsForSegment(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: SegmentExpiringParams }>('/api/v2/segments/:projectKey/:segmentKey/expiring-targets/:environmentKey', async (request) => readSegmentExpiringTargets(deps, request.params, 'context'));
}
