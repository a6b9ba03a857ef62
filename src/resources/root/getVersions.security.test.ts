// GET /api/v2/versions security: a token is needed (LaunchDarkly answers 401 without one); every role may read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getVersions security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('401 without a token; 200 for every role', async () => {
    expect((await s.get('/api/v2/versions', { token: null })).status).toBe(401);
    for (const token of Object.values(s.tokens)) expect((await s.get('/api/v2/versions', { token })).status).toBe(200);
  });
});
