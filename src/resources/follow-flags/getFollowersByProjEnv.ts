// GET /api/v2/projects/{projectKey}/environments/{environmentKey}/followers — every flag of the environment that has
// followers, with them, by flag key.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { followersByFlag, representFollower } from './followers.js';

export function getFollowersByProjEnv(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string } }>('/api/v2/projects/:projectKey/environments/:environmentKey/followers', async (request) => {
    const { projectKey, environmentKey } = request.params;
    const { environment } = await deps.catalog.projectEnvironment(projectKey, environmentKey);
    const byFlag = await followersByFlag(deps.store.db, environment.id);
    return {
      _links: { self: link(`/api/v2/projects/${projectKey}/environments/${environmentKey}/followers`) },
      items: [...byFlag].map(([flagKey, members]) => ({ flagKey, followers: members.map(representFollower) })),
    };
  });
}
