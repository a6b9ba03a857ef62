// POST …/approval-requests/{id}/apply — apply an approved flag approval request; 200 with it (completed, or
// scheduled when it has an execution date to come).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { approvalRequestIdOf } from './model.js';
import { representFlagApproval } from './represent.js';
import { applyApproval } from './requests.js';
import { FLAG_APPROVALS_URL, placeOf } from './scope.js';

export function postApprovalRequestApplyForFlag(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: FlagInEnvironmentParams & { id: string } }>(`${FLAG_APPROVALS_URL}/:id/apply`, async (request) => {
    const { row, scope, siblings } = await applyApproval(deps, placeOf(request.params), await approvalRequestIdOf(deps.store.db, request.params.id), request.body, request.actor);
    return representFlagApproval(row, scope.place, siblings);
  });
}
