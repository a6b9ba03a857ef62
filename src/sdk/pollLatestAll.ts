// GET /sdk/latest-all — the server-side SDKs' polling: the environment's flags and segments, with an ETag, 304
// when the SDK already holds them.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../http/context.js';
import { sdkEnvironmentOf } from './auth.js';
import { allData, loadServed } from './environmentData.js';
import { answerPolled } from './polled.js';
import type { SdkRouteOptions } from './routes.js';

export function pollLatestAll(app: FastifyInstance, deps: Deps, route: SdkRouteOptions): void {
  app.get('/sdk/latest-all', route, async (request, reply) => {
    const environment = sdkEnvironmentOf(request);
    return answerPolled(request, reply, environment.id, allData(await loadServed(deps.store.db, environment.id)));
  });
}
