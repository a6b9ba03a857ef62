import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectReadableByProjectViewers } from '../../../test/support/flagStatuses.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlagStatusAcrossEnvironments: security', () => {
  let s: TestServer;
  const path = '/api/v2/flag-status/shop/f';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
  });
  afterAll(() => s.close());

  it('read by every role and by custom roles that may view the project; no token, SDK keys and other custom roles are refused', async () => {
    await expectReadableByProjectViewers(s, path, '/api/v2/flag-status/shop/ghost');
  });

  it('`env` values that try to inject are plain keys', async () => {
    for (const env of ["production' or '1'='1", '%22production%22', 'production%25']) {
      const res = await s.get(`${path}?env=${env}`);
      expect(res.status, env).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });
});
