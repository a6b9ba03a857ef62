// GET /sdk/poll refused: no key, an unknown one or an access token get LaunchDarkly's 401, and the official SDK's
// data system gives up initializing; a malformed basis is no error, only no state (everything is sent).
import type { LDOptions } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('GET /sdk/poll errors', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('401 with LaunchDarkly\'s error body, without a key, with an unknown one, a mobile key or an access token', async () => {
    const env = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body;
    for (const token of [null, 'sdk-unknown', '   ', env.mobileKey, s.tokens.admin]) {
      const res = await s.get('/sdk/poll', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'unauthorized', message: expect.stringContaining('SDK key') });
    }
  });

  it('the official SDK polling through its data system fails to initialize on an invalid key', async () => {
    const client = sdkClient(s.url, 'sdk-unknown', { dataSystem: { dataSource: { dataSourceOptionsType: 'pollingOnly' } } } as LDOptions);
    try {
      await expect(client.waitForInitialization({ timeout: 10 })).rejects.toThrow();
      expect(client.initialized()).toBe(false);
    } finally {
      client.close();
    }
  });

  it('an empty or repeated basis names no state: the whole payload, never a 4xx or 5xx', async () => {
    const key = await sdkKeyOf(s, w.project);
    for (const query of ['?basis=', '?basis=a&basis=b', '?basis=%00', `?basis=${'x'.repeat(4000)}`]) {
      const res = await s.get(`/sdk/poll${query}`, { token: key });
      expect(res.status, query).toBe(200);
      expect(res.body.events[0].data.payloads[0].intentCode, query).toBe('xfer-full');
    }
  });
});
