// GET /all — the server-side SDKs' stream (SSE): a `put` of the environment's flags, then a `patch` or `delete` for
// each change, and a comment every minute so that idle connections stay open.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sdkEnvironmentOf } from './auth.js';
import { startEventStream } from './sse.js';
import type { SdkRouteOptions } from './routes.js';
import type { SdkStreams, StreamProtocol } from './streams.js';
import { countConnection } from '../resources/usage/sdkRequest.js';

/** Answers a server-side SDK's stream (FDv1 or FDv2) for the environment its key opens, until either side ends it. */
export async function serveSdkStream(request: FastifyRequest, reply: FastifyReply, streams: SdkStreams, protocol: StreamProtocol): Promise<void> {
  const environment = sdkEnvironmentOf(request);
  startEventStream(request, reply, { 'x-ld-envid': environment.id });
  countConnection(request, reply, environment.id);
  try {
    await streams.open(environment, reply.raw, protocol);
  } catch (err) {
    // The stream's headers are sent: the SDK sees it end, and reconnects after its backoff.
    request.log.warn({ err }, 'could not read flags for an SDK stream');
    reply.raw.destroy();
  }
}

export function streamAll(app: FastifyInstance, route: SdkRouteOptions, streams: SdkStreams): void {
  // No HEAD: it would open a stream with no body that never ends.
  app.get('/all', { ...route, exposeHeadRoute: false }, (request, reply) => serveSdkStream(request, reply, streams, { fdv: 1 }));
}
