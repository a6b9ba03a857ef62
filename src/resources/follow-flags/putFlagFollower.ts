// PUT …/flags/{featureFlagKey}/environments/{environmentKey}/followers/{memberId} — the member follows the flag in
// the environment (again: nothing changes); 204.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { follow, followerWrite } from './followers.js';

export function putFlagFollower(app: FastifyInstance, deps: Deps): void {
  followerWrite(app, deps, 'PUT', follow);
}
