// GET /api/v2/openapi.json — the OpenAPI document of the API iterlab serves: LaunchDarkly's, the version it follows
// (spec/launchdarkly-openapi.json), so that generators and tools pointed at iterlab read the same contract. Open
// without a token, as LaunchDarkly's is; read from disk on the first request and kept.
import fs from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../http/context.js';

/**
 * The repository's spec, found from this module's place upwards: three levels up from its source
 * (src/resources/root, where the sources run as they are: tsx, the tests), one from the bundle `npm run build`
 * makes (dist/main.js), two from the bench's builds (.bench/build-<pid>/main.js).
 */
async function readSpec(): Promise<Buffer> {
  for (let up = 1; ; up++) {
    const file = new URL(`${'../'.repeat(up)}spec/launchdarkly-openapi.json`, import.meta.url);
    try {
      return await fs.readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || up === 3) throw err;
    }
  }
}

export function getOpenapiSpec(app: FastifyInstance, _deps: Deps): void {
  let spec: Promise<Buffer> | undefined;
  app.get('/api/v2/openapi.json', { config: { public: true } }, async (_request, reply) => {
    spec ??= readSpec().catch((err: unknown) => {
      spec = undefined;
      throw err;
    });
    return reply.type('application/json; charset=utf-8').send(await spec);
  });
}
