// GET /relay_auto_config — the stream a Relay Proxy in automatic configuration mode opens with a Relay Proxy
// configuration's key as its Authorization header (ld-relay's autoconfig StreamManager): the environments the
// configuration's policy chooses, then their changes. An unknown key is a 401, which ld-relay takes for a rejected key.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../http/context.js';
import { ApiError } from '../http/errors.js';
import { relayAutoConfigByKey } from '../resources/relay-proxy-configs/model.js';
import { sdkKeyOf } from './auth.js';
import type { RelayStreams } from './relayStreams.js';
import { startEventStream } from './sse.js';

export function streamRelayAutoConfig(app: FastifyInstance, deps: Deps, streams: RelayStreams): void {
  // No HEAD: it would open a stream with no body that never ends.
  app.get('/relay_auto_config', { config: { sdkKey: true }, exposeHeadRoute: false }, async (request, reply) => {
    const key = sdkKeyOf(request.headers.authorization);
    const row = key ? await relayAutoConfigByKey(deps.store.db, key, deps.now()) : undefined;
    if (!key || !row) throw new ApiError(401, 'unauthorized', "Invalid Relay Proxy configuration key: send a Relay Proxy configuration's key as the Authorization header");
    const version = Number((request.query as Record<string, unknown>).rpacProtocolVersion ?? 1);
    startEventStream(request, reply);
    try {
      await streams.open(row, key, Number.isFinite(version) ? version : 1, reply.raw);
    } catch (err) {
      // The stream's headers are sent: the Relay Proxy sees it end, and reconnects after its backoff.
      request.log.warn({ err }, 'could not read environments for a Relay Proxy stream');
      reply.raw.destroy();
    }
  });
}
