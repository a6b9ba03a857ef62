// GET /api/v2/public-ip-list security: open without a token, as LaunchDarkly's is ("any string" as Authorization),
// and answering nothing about the server's own network.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getIps security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('answers without a token and with any Authorization', async () => {
    for (const token of [null, 'anything']) {
      const res = await s.get('/api/v2/public-ip-list', { token });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ addresses: [], outboundAddresses: [] });
    }
  });
});
