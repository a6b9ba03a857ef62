// GET /api/v2/approval-requests/{id} — one approval request (of a flag or a segment), with `expand` of its project,
// environments and flag.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { VIEW_ACTION } from '../custom-roles/policy.js';
import { authorizedRequest } from './accountWide.js';
import { APPROVALS_URL } from './scope.js';

export function getApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { id: string } }>(`${APPROVALS_URL}/:id`, async (request) => {
    const found = await authorizedRequest(deps, request.params.id, request.actor, VIEW_ACTION);
    return found.get(request.query);
  });
}
