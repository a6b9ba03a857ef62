// GET /sdk/latest-all — the server-side SDKs' polling: the environment's flags (and segments), with an ETag, 304
// when the SDK already holds them.
import crypto from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../http/context.js';
import { sdkEnvironmentOf } from './auth.js';
import { allData, loadServedFlags } from './environmentData.js';
import type { SdkRouteOptions } from './routes.js';

export function pollLatestAll(app: FastifyInstance, deps: Deps, route: SdkRouteOptions): void {
  app.get('/sdk/latest-all', route, async (request, reply) => {
    const environment = sdkEnvironmentOf(request);
    const body = allData(await loadServedFlags(deps.store.db, environment.id));
    const etag = `"${crypto.createHash('sha256').update(body).digest('base64url')}"`;
    reply.header('etag', etag).header('cache-control', 'no-cache').header('x-ld-envid', environment.id);
    const held = request.headers['if-none-match'];
    if (held !== undefined && held.split(',').some((tag) => tag.trim() === etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
