// PATCH …/approval-requests/{id} — a semantic patch on a flag's approval request: addReviewers, updateDescription.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { approvalRequestIdOf } from './model.js';
import { representFlagApproval } from './represent.js';
import { patchApproval } from './requests.js';
import { FLAG_APPROVALS_URL, placeOf } from './scope.js';

export function patchFlagConfigApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: FlagInEnvironmentParams & { id: string } }>(`${FLAG_APPROVALS_URL}/:id`, async (request) => {
    const { row, scope, siblings } = await patchApproval(deps, placeOf(request.params), await approvalRequestIdOf(deps.store.db, request.params.id), request.body, request.actor);
    return representFlagApproval(row, scope.place, siblings);
  });
}
