// GET /sdk/stream — the server-side SDKs' FDv2 stream (SSE): a payload of the environment's flags and segments, or
// `none` when the SDK's `basis` names what it holds, then each change as objects and the state they make.
import type { FastifyInstance } from 'fastify';
import { sdkEnvironmentOf } from './auth.js';
import { basisOf } from './pollPayload.js';
import { startEventStream } from './sse.js';
import type { SdkRouteOptions } from './routes.js';
import type { SdkStreams } from './streams.js';

export function streamPayload(app: FastifyInstance, route: SdkRouteOptions, streams: SdkStreams): void {
  // No HEAD: it would open a stream with no body that never ends.
  app.get<{ Querystring: Record<string, unknown> }>('/sdk/stream', { ...route, exposeHeadRoute: false }, async (request, reply) => {
    const environment = sdkEnvironmentOf(request);
    startEventStream(request, reply, { 'x-ld-envid': environment.id });
    try {
      await streams.open(environment, reply.raw, { fdv: 2, basis: basisOf(request.query) });
    } catch (err) {
      // The stream's headers are sent: the SDK sees it end, and reconnects after its backoff.
      request.log.warn({ err }, 'could not read flags for an SDK stream');
      reply.raw.destroy();
    }
  });
}
