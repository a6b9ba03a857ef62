// DELETE /api/v2/flags/{projectKey}/{featureFlagKey} — delete a flag in every environment (refused while others depend on it).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { findProject } from '../projects/projects.js';
import { deleteFlagEverywhere } from './deletion.js';

export function deleteFeatureFlag(app: FastifyInstance, deps: Deps): void {
  app.delete<{ Params: { projectKey: string; featureFlagKey: string } }>('/api/v2/flags/:projectKey/:featureFlagKey', async (request, reply) => {
    const project = await findProject(deps.store.db, request.params.projectKey);
    await deleteFlagEverywhere(deps, { project, flagKey: request.params.featureFlagKey, actor: request.actor });
    return reply.code(204).send();
  });
}
