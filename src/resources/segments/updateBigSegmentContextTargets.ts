// POST /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/contexts — add and remove a big segment's included
// and excluded context keys (204); a standard segment is a 400.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { updateBigSegment, type BigSegmentParams } from './bigSegmentOperations.js';
import { SegmentUserState } from './bigSegments.js';

export function updateBigSegmentContextTargets(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: BigSegmentParams; Body: SegmentUserState }>(
    '/api/v2/segments/:projectKey/:environmentKey/:segmentKey/contexts',
    { schema: { body: SegmentUserState } },
    async (request, reply) => {
      await updateBigSegment(deps, request, { operation: 'updateBigSegmentContextTargets', userKeys: false });
      return reply.code(204).send();
    },
  );
}
