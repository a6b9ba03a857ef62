// POST /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/approval-requests — ask for
// approval of flag instructions in the environment (201). They must apply to the flag as it is now.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import type { FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { representFlagApproval } from './represent.js';
import { createApproval } from './requests.js';
import { FLAG_APPROVALS_URL, placeOf } from './scope.js';

export function postApprovalRequestForFlag(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: FlagInEnvironmentParams }>(FLAG_APPROVALS_URL, async (request, reply) => {
    const { row, scope, siblings } = await createApproval(deps, placeOf(request.params), request.body, request.actor);
    return reply.code(201).send(representFlagApproval(row, scope.place, siblings));
  });
}
