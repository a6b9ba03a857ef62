// GET /api/v2/flags/{projectKey}/{environmentKey}/{featureFlagKey}/dependent-flags (beta) — the flags with this one as a prerequisite in the environment.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProjectEnvironment } from '../environments/environments.js';
import { loadDependents, representDependentsInEnvironment } from './dependents.js';
import { findFlag } from './model.js';

export function getDependentFlagsByEnv(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; environmentKey: string; featureFlagKey: string } }>(
    '/api/v2/flags/:projectKey/:environmentKey/:featureFlagKey/dependent-flags',
    { config: { beta: true } },
    async (request) => {
      const db = deps.store.db;
      const { project, environment } = await findProjectEnvironment(db, request.params.projectKey, request.params.environmentKey);
      const flag = await findFlag(db, project, request.params.featureFlagKey);
      const dependents = await loadDependents(db, project.id, flag.row.key, [environment]);
      return representDependentsInEnvironment(project.key, environment.key, flag.row.key, dependents);
    },
  );
}
