// GET …/approval-requests/{id} — one approval request of the flag in the environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { approvalRequestIdOf, approvalsOf, findApproval } from './model.js';
import { representFlagApproval } from './represent.js';
import { FLAG_APPROVALS_URL } from './scope.js';

export function getApprovalForFlag(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagInEnvironmentParams & { id: string } }>(`${FLAG_APPROVALS_URL}/:id`, async (request) => {
    const db = deps.store.db;
    const { flag, environment, place } = await flagInEnvironment(deps, db, request.params);
    const row = await findApproval(db, { flagId: flag.row.id, environmentId: environment.id, id: await approvalRequestIdOf(deps.store.db, request.params.id) });
    return representFlagApproval(row, place, await approvalsOf(db, flag.row.id, environment.id));
  });
}
