// GET /all refused: no key, an unknown key, or a key of the wrong kind get LaunchDarkly's 401, and the official SDK
// gives up initializing rather than retrying forever.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('GET /all errors', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('401 without an Authorization header', async () => {
    const res = await s.get('/all', { token: null });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ code: 'unauthorized', message: expect.stringContaining('SDK key') });
  });

  it('401 for a key no environment has', async () => {
    const res = await s.get('/all', { token: 'sdk-00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('401 for the environment\'s mobile key and for a REST access token', async () => {
    const env = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body;
    expect((await s.get('/all', { token: env.mobileKey })).status).toBe(401);
    expect((await s.get('/all', { token: s.tokens.admin })).status).toBe(401);
  });

  it('the official SDK fails to initialize on an invalid key, and stops asking', async () => {
    const client = sdkClient(s.url, 'sdk-not-a-key');
    try {
      await expect(client.waitForInitialization({ timeout: 10 })).rejects.toThrow();
      expect(client.initialized()).toBe(false);
    } finally {
      client.close();
    }
  });
});
