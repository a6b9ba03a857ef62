// GET /sdk/latest-all refused: no key or an unknown one is LaunchDarkly's 401, and the SDK in polling mode gives up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkClient } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('GET /sdk/latest-all errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ listen: true });
  });
  afterAll(() => s.close());

  it('401 with LaunchDarkly\'s error body, without a key or with an unknown one', async () => {
    for (const token of [null, 'sdk-unknown', '   ']) {
      const res = await s.get('/sdk/latest-all', { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'unauthorized', message: expect.stringContaining('SDK key') });
    }
  });

  it('the official SDK in polling mode fails to initialize on an invalid key', async () => {
    const client = sdkClient(s.url, 'sdk-unknown', { stream: false });
    try {
      await expect(client.waitForInitialization({ timeout: 10 })).rejects.toThrow();
    } finally {
      client.close();
    }
  });
});
