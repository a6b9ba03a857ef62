import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectReadableByProjectViewers } from '../../../test/support/flagStatuses.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlagStatuses: security', () => {
  let s: TestServer;
  const path = '/api/v2/flag-statuses/shop/production';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
  });
  afterAll(() => s.close());

  it('read by every role and by custom roles that may view the project; no token, SDK keys and other custom roles are refused', async () => {
    await expectReadableByProjectViewers(s, path, '/api/v2/flag-statuses/ghost/production');
  });

  it("an environment's SDK key reports evaluations for its own environment only", async () => {
    const other = await s.get('/api/v2/projects/other/environments/production');
    expect((await s.post('/bulk', [{ kind: 'summary', startDate: 1, endDate: 2, features: { f: { default: false, counters: [] } } }], { token: other.body.apiKey })).status).toBe(202);
    const statuses = await s.get(path);
    expect(statuses.body.items).toHaveLength(1);
    expect(statuses.body.items[0]).not.toHaveProperty('lastRequested');
  });

  it('an environment key that tries to escape the path or inject is a plain value', async () => {
    for (const env of ["production' or '1'='1", '..%2Fproduction', '%22production%22']) {
      const res = await s.get(`/api/v2/flag-statuses/shop/${env}`);
      expect(res.status, env).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });
});
