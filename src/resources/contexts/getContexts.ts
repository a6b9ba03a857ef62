// GET …/contexts/{kind}/{key} — one context's records, one per application that sent it (`filter` takes only
// applicationId), most recently seen first unless `sort=ts`.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';
import { instancesOfContext } from './records.js';
import { APPLICATION_FIELD, collection, contextKey, contextPasses, contextsOf, listPath, page, readListParams, representContext } from './search.js';

interface Params {
  projectKey: string;
  environmentKey: string;
  kind: string;
  key: string;
}

export function getContexts(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: Params }>('/api/v2/projects/:projectKey/environments/:environmentKey/contexts/:kind/:key', async (request) => {
    const { kind, key } = request.params;
    const params = readListParams(request.query as Record<string, unknown>, undefined, APPLICATION_FIELD);
    const { project, environment } = await deps.catalog.projectEnvironment(request.params.projectKey, request.params.environmentKey);
    const where = { projectKey: project.key, environmentKey: environment.key };
    const views = contextsOf(await instancesOfContext(deps.store.db, environment.id, { kind, key }), { kind, key });
    const result = page(views, params, contextPasses, contextKey);
    const path = `${listPath(where)}/contexts/${encodeURIComponent(kind)}/${encodeURIComponent(key)}`;
    return collection(path, environment.id, params, result, result.shown.map((view) => representContext(where, view)));
  });
}
