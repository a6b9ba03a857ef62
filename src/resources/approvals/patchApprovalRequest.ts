// PATCH /api/v2/approval-requests/{id} — a semantic patch on an approval request (of a flag or a segment):
// addReviewers, updateDescription.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { authorizedRequest } from './accountWide.js';
import { APPROVALS_URL } from './scope.js';

export function patchApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.patch<{ Params: { id: string } }>(`${APPROVALS_URL}/:id`, async (request) => {
    const found = await authorizedRequest(deps, request.params.id, request.actor, 'updateApprovalRequest');
    return found.patch(request.body, request.actor, request.query);
  });
}
