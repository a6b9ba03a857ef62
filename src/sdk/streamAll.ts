// GET /all — the server-side SDKs' stream (SSE): a `put` of the environment's flags, then a `patch` or `delete` for
// each change, and a comment every minute so that idle connections stay open.
import type { FastifyInstance } from 'fastify';
import { sdkEnvironmentOf } from './auth.js';
import { startEventStream } from './sse.js';
import type { SdkRouteOptions } from './routes.js';
import type { SdkStreams } from './streams.js';

export function streamAll(app: FastifyInstance, route: SdkRouteOptions, streams: SdkStreams): void {
  // No HEAD: it would open a stream with no body that never ends.
  app.get('/all', { ...route, exposeHeadRoute: false }, async (request, reply) => {
    const environment = sdkEnvironmentOf(request);
    startEventStream(request, reply, { 'x-ld-envid': environment.id });
    try {
      await streams.open(environment, reply.raw);
    } catch (err) {
      // The stream's headers are sent: the SDK sees it end, and reconnects after its backoff.
      request.log.warn({ err }, 'could not read flags for an SDK stream');
      reply.raw.destroy();
    }
  });
}
