// GET …/context-instances/{id} — one context instance's records, one per application that sent it (`filter` takes
// only applicationId). The id is the instance's (base64url of its fully qualified key); the key itself is taken too.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { instancesOfId } from './records.js';
import { APPLICATION_FIELD, collection, instanceKey, instancePasses, listPath, page, readListParams, representInstance } from './search.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  id: string;
}

export function getContextInstances(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/context-instances/:id', async (request) => {
    const params = readListParams(request.query as Record<string, unknown>, undefined, APPLICATION_FIELD);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const where = { projectKey: project.key, environmentKey: environment.key };
    const result = page(await instancesOfId(deps.store.db, environment.id, request.params.id), params, instancePasses, instanceKey);
    const path = `${listPath(where)}/context-instances/${encodeURIComponent(request.params.id)}`;
    return collection(path, environment.id, params, result, result.shown.map((instance) => representInstance(where, instance)));
  });
}
