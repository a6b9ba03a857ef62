// GET /api/v2/projects/{projectKey}/release-policies/{policyKey} (beta) — one release policy.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { findPolicy, POLICY_PATH, type PolicyParams } from './model.js';
import { representPolicy } from './represent.js';

export function GetReleasePolicy(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: PolicyParams }>(POLICY_PATH, { config: { beta: true } }, async (request) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    return representPolicy(await findPolicy(deps.store.db, project, request.params.policyKey));
  });
}
