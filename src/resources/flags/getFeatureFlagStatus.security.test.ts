import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectReadableByProjectViewers } from '../../../test/support/flagStatuses.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlagStatus: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
  });
  afterAll(() => s.close());

  it('read by every role and by custom roles that may view the project; no token, SDK keys and other custom roles are refused', async () => {
    await expectReadableByProjectViewers(s, '/api/v2/flag-statuses/shop/production/f', '/api/v2/flag-statuses/shop/production/ghost');
  });

  it('keys that try to escape the path or inject are plain values', async () => {
    for (const flag of ["f' or '1'='1", 'f%25', '..%2F..%2Fflags', '%22key%22%3A%22f']) {
      const res = await s.get(`/api/v2/flag-statuses/shop/production/${flag}`);
      expect(res.status, flag).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
    const nul = await s.get('/api/v2/flag-statuses/shop/production/f%00');
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({ code: 'invalid_request', message: 'featureFlagKey: must not contain the NUL character (%00)' });
  });
});
