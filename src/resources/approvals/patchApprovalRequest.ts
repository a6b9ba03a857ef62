// PATCH /api/v2/approval-requests/{id} — a semantic patch on an approval request: addReviewers, updateDescription.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { authorizedScope, representAccountWide } from './accountWide.js';
import { patchApproval } from './requests.js';
import { APPROVALS_URL } from './scope.js';

export function patchApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { id: string } }>(`${APPROVALS_URL}/:id`, async (request) => {
    const { place } = await authorizedScope(deps, deps.store.db, request.params.id, request.actor, 'updateApprovalRequest');
    const { row, scope, siblings } = await patchApproval(deps, place, request.params.id, request.body, request.actor);
    return representAccountWide(scope, row, siblings, request.query);
  });
}
