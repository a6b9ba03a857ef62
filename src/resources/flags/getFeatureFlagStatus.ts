// GET /api/v2/flag-statuses/{projectKey}/{environmentKey}/{featureFlagKey} — one flag's status in one environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { flagRequestsOf, flagStatus, representFlagStatusRep } from './flagStatus.js';
import { findFlag } from './model.js';

export function getFeatureFlagStatus(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string; featureFlagKey: string } }>(
    '/api/v2/flag-statuses/:projectKey/:environmentKey/:featureFlagKey',
    async (request) => {
      const db = deps.store.db;
      const { project, environment } = await findProjectEnvironment(db, request.params.projectKey, request.params.environmentKey);
      const flag = await findFlag(db, project, request.params.featureFlagKey);
      const requests = await flagRequestsOf(db, flag.row.key, [environment.id]);
      const status = flagStatus(flag.doc, flag.configs.get(environment.id), requests.get(environment.id), deps.now());
      return representFlagStatusRep(project.key, environment.key, flag.row.key, status);
    },
  );
}
