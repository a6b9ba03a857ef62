// GET /api/v2/openapi.json — the OpenAPI document of the API iterlab serves: LaunchDarkly's, the version it follows
// (spec/launchdarkly-openapi.json), so that generators and tools pointed at iterlab read the same contract. Open
// without a token, as LaunchDarkly's is; read from disk on the first request and kept.
import fs from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';

/** From src/resources/root (and dist/resources/root) to the repository's spec directory. */
const SPEC = new URL('../../../spec/launchdarkly-openapi.json', import.meta.url);

export function getOpenapiSpec(app: FastifyInstance, _deps: Deps): void {
  let spec: Promise<Buffer> | undefined;
  app.get('/api/v2/openapi.json', { config: { public: true } }, async (_request, reply) => {
    spec ??= fs.readFile(SPEC).catch((err: unknown) => {
      spec = undefined;
      throw err;
    });
    return reply.type('application/json; charset=utf-8').send(await spec);
  });
}
