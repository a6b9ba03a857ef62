// PATCH /api/v2/segments/{projectKey}/{segmentKey}/expiring-targets/{environmentKey} — schedule, move or cancel contexts' removal from the segment's included or excluded targets (writer); each instruction on its own.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { patchSegmentExpiringTargets, type SegmentExpiringParams } from './expiringTargets.js';

export function patchExpiringTargetsForSegment(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: SegmentExpiringParams }>('/api/v2/segments/:projectKey/:segmentKey/expiring-targets/:environmentKey', async (request) => patchSegmentExpiringTargets(deps, request.actor, request.params, request.body, 'context'));
}
