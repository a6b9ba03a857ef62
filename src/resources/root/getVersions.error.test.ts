// GET /api/v2/versions refused: an LD-API-Version that is no version is LaunchDarkly's 400 naming the header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getVersions errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('400 for an unknown LD-API-Version', async () => {
    const res = await s.get('/api/v2/versions', { headers: { 'LD-API-Version': '20990101' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ code: 'invalid_request', message: expect.stringContaining('LD-API-Version') });
  });
});
