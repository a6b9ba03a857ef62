// GET /api/v2/flag-status/{projectKey}/{featureFlagKey} — one flag's status in every environment, or those `env` names.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { findProject } from '../projects/projects.js';
import { flagRequestsOf, flagStatus, representFlagStatus } from './flagStatus.js';
import { findFlag } from './model.js';
import { environmentsFor, readEnvironmentKeys } from './scope.js';

export function getFeatureFlagStatusAcrossEnvironments(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; featureFlagKey: string } }>('/api/v2/flag-status/:projectKey/:featureFlagKey', async (request) => {
    const db = deps.store.db;
    const project = await findProject(db, request.params.projectKey);
    const flag = await findFlag(db, project, request.params.featureFlagKey);
    const environments = await environmentsFor(db, project, readEnvironmentKeys((request.query as Record<string, unknown>).env));
    const requests = await flagRequestsOf(db, flag.row.key, environments.map((env) => env.id));
    const now = deps.now();
    return {
      environments: Object.fromEntries(environments.map((env) => [env.key, representFlagStatus(flagStatus(flag.doc, flag.configs.get(env.id), requests.get(env.id), now))])),
      key: flag.row.key,
      // As LaunchDarkly links it (its spec's example): the parent is the collection the path names.
      _links: { parent: link('/api/v2/flag-status'), self: link(`/api/v2/flag-status/${project.key}/${flag.row.key}`) },
    };
  });
}
