// GET /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/contexts/{contextKey} — whether a big segment
// includes and excludes a context key (BigSegmentTarget); a standard segment is a 400.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { bigSegmentMembershipOf, type BigSegmentParams } from './bigSegmentOperations.js';

export function getSegmentMembershipForContext(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: BigSegmentParams & { contextKey: string } }>('/api/v2/segments/:projectKey/:environmentKey/:segmentKey/contexts/:contextKey', async (request) =>
    bigSegmentMembershipOf(deps, request.params, request.params.contextKey, { operation: 'getSegmentMembershipForContext', userKeys: false }),
  );
}
