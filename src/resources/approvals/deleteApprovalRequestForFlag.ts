// DELETE …/approval-requests/{id} — delete a flag's approval request; 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { approvalRequestIdOf } from './model.js';
import { deleteApproval } from './requests.js';
import { FLAG_APPROVALS_URL, placeOf } from './scope.js';

export function deleteApprovalRequestForFlag(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: FlagInEnvironmentParams & { id: string } }>(`${FLAG_APPROVALS_URL}/:id`, async (request, reply) => {
    await deleteApproval(deps, placeOf(request.params), await approvalRequestIdOf(deps.store.db, request.params.id), request.actor);
    return reply.code(204).send();
  });
}
