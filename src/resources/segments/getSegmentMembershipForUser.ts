// GET /api/v2/segments/{projectKey}/{environmentKey}/{segmentKey}/users/{userKey} — the user form of
// getSegmentMembershipForContext: only for big segments of user contexts.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { bigSegmentMembershipOf, type BigSegmentParams } from './bigSegmentOperations.js';

export function getSegmentMembershipForUser(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: BigSegmentParams & { userKey: string } }>('/api/v2/segments/:projectKey/:environmentKey/:segmentKey/users/:userKey', async (request) =>
    bigSegmentMembershipOf(deps, request.params, request.params.userKey, { operation: 'getSegmentMembershipForUser', userKeys: true }),
  );
}
