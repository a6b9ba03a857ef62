// POST …/contexts/search — the environment's contexts (each kind and key once per application that sent it),
// filtered by LaunchDarkly's context filter, most recently seen first unless `sort=ts`. Parameters come in the query
// or in the body, not both.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { allInstances } from './records.js';
import { CONTEXT_FIELDS, collection, contextKey, contextPasses, contextsOf, listPath, page, readListParams, readSearchBody, representContext } from './search.js';

interface Params {
  projectKey: string;
  environmentKey: string;
}

export function searchContexts(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: Params }>(
    '/api/v2/projects/:projectKey/environments/:environmentKey/contexts/search',
    // It reads: a reader may search.
    { config: { role: 'reader' } },
    async (request) => {
      const params = readListParams(request.query as Record<string, unknown>, readSearchBody(request.body), CONTEXT_FIELDS);
      const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
      const where = { projectKey: project.key, environmentKey: environment.key };
      const result = page(contextsOf(await allInstances(deps.store, environment.id)), params, contextPasses, contextKey);
      return collection(`${listPath(where)}/contexts/search`, environment.id, params, result, result.shown.map((view) => representContext(where, view)));
    },
  );
}
