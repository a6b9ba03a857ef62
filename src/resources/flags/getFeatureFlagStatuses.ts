// GET /api/v2/flag-statuses/{projectKey}/{environmentKey} — the status of every flag of the project in one environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { link } from '../../http/links.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { flagRequestsIn, flagStatus, representFlagStatusRep } from './flagStatus.js';
import { listFlagRows, loadConfigs, type FlagDoc } from './model.js';

export function getFeatureFlagStatuses(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string } }>('/api/v2/flag-statuses/:projectKey/:environmentKey', async (request) => {
    const db = deps.store.db;
    const { project, environment } = await findProjectEnvironment(db, request.params.projectKey, request.params.environmentKey);
    // The flags list's order: oldest first, the key breaking ties.
    const flags = (await listFlagRows(db, project.id)).sort((a, b) => a.created_at - b.created_at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const configs = await loadConfigs(db, flags.map((flag) => flag.id), [environment.id]);
    const requests = await flagRequestsIn(db, environment.id);
    const now = deps.now();
    return {
      _links: { self: link(`/api/v2/flag-statuses/${project.key}/${environment.key}`) },
      items: flags.map((flag) => {
        const status = flagStatus(JSON.parse(flag.doc) as FlagDoc, configs.get(flag.id)?.get(environment.id), requests.get(flag.key), now);
        return representFlagStatusRep(project.key, environment.key, flag.key, status);
      }),
    };
  });
}
