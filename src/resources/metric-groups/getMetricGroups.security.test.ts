import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetricGroups: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    for (const p of ['shop', 'other']) {
      await s.post('/api/v2/projects', { name: p, key: p });
      await s.post(`/api/v2/metrics/${p}`, { key: 'm', kind: 'custom', eventKey: 'm', isNumeric: false });
      await s.post(`/api/v2/projects/${p}/metric-groups`, { key: `${p}-group`, name: p, kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'm' }] }, BETA);
    }
  });
  afterAll(() => s.close());

  it('403 without the beta header, 401 without a token, 200 for a reader', async () => {
    expect((await s.get('/api/v2/projects/shop/metric-groups')).status).toBe(403);
    expect((await s.get('/api/v2/projects/shop/metric-groups', { ...BETA, token: null })).status).toBe(401);
    expect((await s.get('/api/v2/projects/shop/metric-groups', { ...BETA, token: s.tokens.reader })).status).toBe(200);
  });

  it("lists only the project's own groups", async () => {
    const res = await s.get(`/api/v2/projects/shop/metric-groups?filter=${encodeURIComponent('query equals other')}`, BETA);
    expect(res.body.items).toEqual([]);
    expect((await s.get('/api/v2/projects/shop/metric-groups', BETA)).body.items.map((g: { key: string }) => g.key)).toEqual(['shop-group']);
  });
});
