// GET /api/v2/projects/{projectKey}/flags/{featureFlagKey}/environments/{environmentKey}/followers — the members who
// follow the flag in the environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { findFlag } from '../flags/model.js';
import { followersByFlag, representFollower } from './followers.js';

interface FlagFollowerParams {
  projectKey: string;
  featureFlagKey: string;
  environmentKey: string;
}

const followersPath = (p: FlagFollowerParams) => `/api/v2/projects/${p.projectKey}/flags/${p.featureFlagKey}/environments/${p.environmentKey}/followers`;

export function getFlagFollowers(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: FlagFollowerParams }>('/api/v2/projects/:projectKey/flags/:featureFlagKey/environments/:environmentKey/followers', async (request) => {
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const flag = await findFlag(deps.store.db, project, request.params.featureFlagKey);
    const followers = (await followersByFlag(deps.store.db, environment.id, flag.row.id)).get(flag.row.key) ?? [];
    return { _links: { self: link(followersPath(request.params)) }, items: followers.map(representFollower) };
  });
}
