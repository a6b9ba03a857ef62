// GET /sdk/stream refused: no key, an unknown key, a mobile key or an access token get LaunchDarkly's 401 before any
// stream opens, and the official SDK's data system gives up initializing rather than retrying forever.
import type { LDOptions } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('GET /sdk/stream errors', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('401 with LaunchDarkly\'s error body, and no stream opened', async () => {
    const env = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body;
    for (const token of [null, 'sdk-00000000-0000-4000-8000-000000000000', env.mobileKey, s.tokens.admin]) {
      const res = await s.get('/sdk/stream', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'unauthorized', message: expect.stringContaining('SDK key') });
    }
    expect(s.app.sdkStreams.connections).toBe(0);
  });

  it('the official SDK fails to initialize on an invalid key, on the stream alone and on its default data system', async () => {
    for (const dataSystem of [{ dataSource: { dataSourceOptionsType: 'streamingOnly' } }, {}]) {
      const client = sdkClient(s.url, 'sdk-not-a-key', { dataSystem } as LDOptions);
      try {
        await expect(client.waitForInitialization({ timeout: 10 })).rejects.toThrow();
        expect(client.initialized()).toBe(false);
      } finally {
        client.close();
      }
    }
  });
});
