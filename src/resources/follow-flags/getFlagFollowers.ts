// GET /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/followers — the members who
// follow the flag in the environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { flagInEnvironment, type FlagInEnvironmentParams } from '../flags/inEnvironment.js';
import { followersByFlag, representFollower } from './followers.js';

const followersPath = (p: FlagInEnvironmentParams) => `/api/v2/projects/${p.projectKey}/flags/${p.featureFlagKey}/environments/${p.environmentKey}/followers`;

export function getFlagFollowers(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagInEnvironmentParams }>('/api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/followers', async (request) => {
    const { flag, environment } = await flagInEnvironment(deps, deps.store.db, request.params);
    const followers = (await followersByFlag(deps.store.db, environment.id, flag.row.id)).get(flag.row.key) ?? [];
    return { _links: { self: link(followersPath(request.params)) }, items: followers.map(representFollower) };
  });
}
