// POST …/approval-requests/{id}/reviews — approve, decline or comment on a flag's approval request; 200 with it.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { approvalRequestIdOf } from './model.js';
import { representFlagApproval } from './represent.js';
import { reviewApproval } from './requests.js';
import { FLAG_APPROVALS_URL, placeOf } from './scope.js';

export function postApprovalRequestReviewForFlag(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: FlagInEnvironmentParams & { id: string } }>(`${FLAG_APPROVALS_URL}/:id/reviews`, async (request) => {
    const { row, scope, siblings } = await reviewApproval(deps, placeOf(request.params), await approvalRequestIdOf(deps.store.db, request.params.id), request.body, request.actor);
    return representFlagApproval(row, scope.place, siblings);
  });
}
