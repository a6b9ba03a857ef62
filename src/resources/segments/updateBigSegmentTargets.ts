// POST /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/users — the user form of
// updateBigSegmentContextTargets: only for big segments of user contexts.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { updateBigSegment, type BigSegmentParams } from './bigSegmentOperations.js';
import { SegmentUserState } from './bigSegments.js';

export function updateBigSegmentTargets(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: BigSegmentParams; Body: SegmentUserState }>(
    '/api/v2/segments/:projectKey/:environmentKey/:segmentKey/users',
    { schema: { body: SegmentUserState } },
    async (request, reply) => {
      await updateBigSegment(deps, request, { operation: 'updateBigSegmentTargets', userKeys: true });
      return reply.code(204).send();
    },
  );
}
