// POST /api/v2/approval-requests/{id}/reviews — approve, decline or comment on an approval request; 200 with it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { authorizedScope, representAccountWide } from './accountWide.js';
import { reviewApproval } from './requests.js';
import { APPROVALS_URL } from './scope.js';

export function postApprovalRequestReview(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { id: string } }>(`${APPROVALS_URL}/:id/reviews`, async (request) => {
    const { place } = await authorizedScope(deps, deps.store.db, request.params.id, request.actor, 'reviewApprovalRequest');
    const { row, scope, siblings } = await reviewApproval(deps, place, request.params.id, request.body, request.actor);
    return representAccountWide(scope, row, siblings, request.query);
  });
}
