// GET /api/v2/approval-requests/{id} — one approval request, with `expand` of its project, environments and flag.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { VIEW_ACTION } from '../custom-roles/policy.js';
import { authorizedScope, representAccountWide } from './accountWide.js';
import { approvalsOf, findApproval } from './model.js';
import { APPROVALS_URL } from './scope.js';

export function getApprovalRequest(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { id: string } }>(`${APPROVALS_URL}/:id`, async (request) => {
    const db = deps.store.db;
    const scope = await authorizedScope(deps, db, request.params.id, request.actor, VIEW_ACTION);
    const row = await findApproval(db, { flagId: scope.flag.row.id, environmentId: scope.environment.id, id: request.params.id });
    return representAccountWide(scope, row, await approvalsOf(db, scope.flag.row.id, scope.environment.id), request.query);
  });
}
