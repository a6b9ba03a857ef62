// GET /sdk/stream — the server-side SDKs' FDv2 stream (SSE): a payload of the environment's flags and segments (a
// whole one, whatever the `basis`: payloads.ts, streamStart), then each change as objects and the state they make.
import type { FastifyInstance } from 'fastify';
import { basisOf } from './payloads.js';
import type { SdkRouteOptions } from './routes.js';
import { serveSdkStream } from './streamAll.js';
import type { SdkStreams } from './streams.js';

export function streamPayload(app: FastifyInstance, route: SdkRouteOptions, streams: SdkStreams): void {
  // No HEAD: it would open a stream with no body that never ends.
  app.get<{ Querystring: Record<string, unknown> }>('/sdk/stream', { ...route, exposeHeadRoute: false }, (request, reply) =>
    serveSdkStream(request, reply, streams, { fdv: 2, basis: basisOf(request.query) }),
  );
}
