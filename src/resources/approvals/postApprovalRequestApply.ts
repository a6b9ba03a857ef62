// POST /api/v2/approval-requests/{id}/apply — apply an approved request; 200 with it (completed, or scheduled when it
// has an execution date to come).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { authorizedScope, representAccountWide } from './accountWide.js';
import { applyApproval } from './requests.js';
import { APPROVALS_URL } from './scope.js';

export function postApprovalRequestApply(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { id: string } }>(`${APPROVALS_URL}/:id/apply`, async (request) => {
    const { place } = await authorizedScope(deps, deps.store.db, request.params.id, request.actor, 'applyApprovalRequest');
    const { row, scope, siblings } = await applyApproval(deps, place, request.params.id, request.body, request.actor);
    return representAccountWide(scope, row, siblings, request.query);
  });
}
