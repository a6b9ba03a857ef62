// GET /api/v2/public-ip-list with the official client's OtherApi: both lists, empty for a self-hosted server, which
// neither knows the addresses it is deployed at nor sends webhooks.
import { Configuration, OtherApi } from 'launchdarkly-api-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getIps', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ listen: true });
  });
  afterAll(() => s.close());

  it('the addresses and the outbound addresses', async () => {
    const { status, data } = await new OtherApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url })).getIps();
    expect(status).toBe(200);
    expect(data).toEqual({ addresses: [], outboundAddresses: [] });
  });
});
