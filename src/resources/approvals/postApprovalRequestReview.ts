// POST /api/v2/approval-requests/{id}/reviews — approve, decline or comment on an approval request (of a flag or a
// segment); 200 with it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { authorizedRequest } from './accountWide.js';
import { APPROVALS_URL } from './scope.js';

export function postApprovalRequestReview(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { id: string } }>(`${APPROVALS_URL}/:id/reviews`, async (request) => {
    const found = await authorizedRequest(deps, request.params.id, request.actor, 'reviewApprovalRequest');
    return found.review(request.body, request.actor, request.query);
  });
}
