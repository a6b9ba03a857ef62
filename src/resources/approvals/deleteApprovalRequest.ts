// DELETE /api/v2/approval-requests/{id} — delete an approval request (of a flag or a segment); 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { authorizedRequest } from './accountWide.js';
import { APPROVALS_URL } from './scope.js';

export function deleteApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { id: string } }>(`${APPROVALS_URL}/:id`, async (request, reply) => {
    const found = await authorizedRequest(deps, request.params.id, request.actor, 'deleteApprovalRequest');
    await found.remove(request.actor);
    return reply.code(204).send();
  });
}
