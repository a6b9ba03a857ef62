// POST …/context-instances/search — the environment's context instances (one per application that sent each),
// filtered by applicationId, id, kinds and kindKeys, most recently seen first unless `sort=ts`. Parameters come in
// the query or in the body, not both.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { allInstances } from './records.js';
import { collection, INSTANCE_FIELDS, instanceKey, instancePasses, listPath, page, readListParams, readSearchBody, representInstance } from './search.js';

interface Params {
  projectKey: string;
  environmentKey: string;
}

export function searchContextInstances(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: Params }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/context-instances/search',
    // It reads: a reader may search.
    { config: { role: 'reader' } },
    async (request) => {
      const params = readListParams(request.query as Record<string, unknown>, readSearchBody(request.body), INSTANCE_FIELDS);
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const where = { projectKey: project.key, environmentKey: environment.key };
      const result = page(await allInstances(deps.store, environment.id), params, instancePasses, instanceKey);
      return collection(`${listPath(where)}/context-instances/search`, environment.id, params, result, result.shown.map((instance) => representInstance(where, instance)));
    },
  );
}
