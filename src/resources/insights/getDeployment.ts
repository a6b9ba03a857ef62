// GET /api/v2/engineering-insights/deployments/{deploymentID} (beta) — one deployment by id; `expand` pullRequests,
// flagReferences. A custom role must view the deployment's project (403).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { readKnownExpand } from '../../http/links.js';
import { DEPLOYMENT_EXPANDS, findDeployment, representDeployment } from './deployments.js';
import { requireProjectView, requireSomeProjectView } from './access.js';

export function getDeployment(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { deploymentID: string }; Querystring: Record<string, unknown> }>('/api/v2/engineering-insights/deployments/:deploymentID', { config: { beta: true, validationErrors: true } }, async (request) => {
    const expand = readKnownExpand(request.query, DEPLOYMENT_EXPANDS);
    await requireSomeProjectView(deps, request.actor);
    const row = await findDeployment(deps.store.db, request.params.deploymentID);
    await requireProjectView(deps, request.actor, row.project_id, `Deployment "${row.id}"`);
    return representDeployment(row, expand);
  });
}
