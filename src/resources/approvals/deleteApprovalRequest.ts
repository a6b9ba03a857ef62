// DELETE /api/v2/approval-requests/{id} — delete an approval request; 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { authorizedScope } from './accountWide.js';
import { deleteApproval } from './requests.js';
import { APPROVALS_URL } from './scope.js';

export function deleteApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { id: string } }>(`${APPROVALS_URL}/:id`, async (request, reply) => {
    const { place } = await authorizedScope(deps, deps.store.db, request.params.id, request.actor, 'deleteApprovalRequest');
    await deleteApproval(deps, place, request.params.id, request.actor);
    return reply.code(204).send();
  });
}
