// DELETE …/flags/{featureFlagKey}/environments/{environmentKey}/followers/{memberId} — the member stops following
// the flag in the environment (one that did not follow it: nothing changes); 204. Any role may do it, as following.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { notFound } from '../../http/errors.js';
import { refuseBody } from '../../http/validation.js';
import { findFlag } from '../flags/model.js';
import { findMember } from '../members/members.js';
import { unfollow } from './followers.js';
import type { FlagFollowerParams } from './getFlagFollowers.js';

export function deleteFlagFollower(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: FlagFollowerParams & { memberId: string } }>(
    '/api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/followers/:memberId',
    // No body: the official client labels its empty body application/x-www-form-urlencoded.
    { config: { role: 'reader', noBody: true } },
    async (request, reply) => {
      refuseBody(request.body);
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      await deps.store.tx(async (trx) => {
        const flag = await findFlag(trx, project, request.params.featureFlagKey);
        const member = await findMember(trx, request.params.memberId);
        if (!member) throw notFound(`Member "${request.params.memberId}"`);
        await unfollow(trx, { flagId: flag.row.id, environmentId: environment.id, memberId: member.id });
      });
      return reply.code(204).send();
    },
  );
}
