// POST /api/v2/approval-requests/{id}/apply — apply an approved request; 200 with it (completed, or, for a flag's with
// an execution date to come, scheduled).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { authorizedRequest } from './accountWide.js';
import { APPROVALS_URL } from './scope.js';

export function postApprovalRequestApply(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { id: string } }>(`${APPROVALS_URL}/:id/apply`, async (request) => {
    const found = await authorizedRequest(deps, request.params.id, request.actor, 'applyApprovalRequest');
    return found.apply(request.body, request.actor, request.query);
  });
}
