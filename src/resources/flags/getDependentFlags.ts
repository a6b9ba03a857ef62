// GET /api/v2/flags/{projectKey}/{featureFlagKey}/dependent-flags (beta) — the flags with this one as a prerequisite, and where.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { listEnvironments } from '../environments/environments.js';
import { findProject } from '../projects/projects.js';
import { loadDependents, representDependents } from './dependents.js';
import { findFlag } from './model.js';

export function getDependentFlags(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { projectKey: string; featureFlagKey: string } }>(
    '/api/v2/flags/:projectKey/:featureFlagKey/dependent-flags',
    { config: { beta: true } },
    async (request) => {
      const db = deps.store.db;
      const project = await findProject(db, request.params.projectKey);
      const flag = await findFlag(db, project, request.params.featureFlagKey);
      const dependents = await loadDependents(db, project.id, flag.row.key, await listEnvironments(db, project.id));
      return representDependents(project.key, flag.row.key, dependents);
    },
  );
}
