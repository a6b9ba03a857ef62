import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetricGroup: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/metrics/shop', { key: 'a', kind: 'custom', eventKey: 'a', isNumeric: false });
    await s.post('/api/v2/projects/shop/metric-groups', { key: 'g', name: 'G', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'a' }] }, BETA);
  });
  afterAll(() => s.close());

  it('403 without the beta header, 401 without a token', async () => {
    expect((await s.get('/api/v2/projects/shop/metric-groups/g')).status).toBe(403);
    expect((await s.get('/api/v2/projects/shop/metric-groups/g', { ...BETA, token: null })).status).toBe(401);
  });

  it('a reader may read', async () => {
    expect((await s.get('/api/v2/projects/shop/metric-groups/g', { ...BETA, token: s.tokens.reader })).status).toBe(200);
  });

  it("a group is not reachable through another project's key", async () => {
    expect((await s.get('/api/v2/projects/other/metric-groups/g', BETA)).status).toBe(404);
  });
});
