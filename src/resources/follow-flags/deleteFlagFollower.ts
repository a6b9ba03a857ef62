// DELETE …/flags/{featureFlagKey}/environments/{environmentKey}/followers/{memberId} — the member stops following
// the flag in the environment (one that did not follow it: nothing changes); 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { followerWrite, unfollow } from './followers.js';

export function deleteFlagFollower(app: FastifyInstance, deps: Deps): void {
  followerWrite(app, deps, 'DELETE', (trx, key) => unfollow(trx, key));
}
