// GET /all — the server-side SDKs' stream (SSE): a `put` of the environment's flags, then a `patch` or `delete` for
// each change, and a comment every minute so that idle connections stay open.
import type { OutgoingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { sdkEnvironmentOf } from './auth.js';
import type { SdkRouteOptions } from './routes.js';
import type { SdkStreams } from './streams.js';

export function streamAll(app: FastifyInstance, route: SdkRouteOptions, streams: SdkStreams): void {
  // No HEAD: it would open a stream with no body that never ends.
  app.get('/all', { ...route, exposeHeadRoute: false }, async (request, reply) => {
    const environment = sdkEnvironmentOf(request);
    reply.hijack();
    // The server's idle timeout would cut a stream between two heartbeats.
    request.raw.socket.setTimeout(0);
    reply.raw.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-store',
      // Proxies that buffer (nginx) would hold the events back.
      'x-accel-buffering': 'no',
      'x-ld-envid': environment.id,
    });
    try {
      await streams.open(environment, reply.raw);
    } catch (err) {
      // The stream's headers are sent: the SDK sees it end, and reconnects after its backoff.
      request.log.warn({ err }, 'could not read flags for an SDK stream');
      reply.raw.destroy();
    }
  });
}
