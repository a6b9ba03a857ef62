import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMetricGroup: security', () => {
  let s: TestServer;
  const rename = [{ op: 'replace', path: '/name', value: 'Renamed' }];
  beforeAll(async () => {
    s = await startServer();
    for (const p of ['shop', 'other']) {
      await s.post('/api/v2/projects', { name: p, key: p });
      await s.post(`/api/v2/metrics/${p}`, { key: `${p}-metric`, kind: 'custom', eventKey: 'm', isNumeric: false });
    }
    await s.post('/api/v2/projects/shop/metric-groups', { key: 'g', name: 'G', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'shop-metric' }] }, BETA);
  });
  afterAll(() => s.close());

  it('403 without the beta header or for a reader, 401 without a token; the group is unchanged', async () => {
    expect((await s.patch('/api/v2/projects/shop/metric-groups/g', rename)).status).toBe(403);
    expect((await s.patch('/api/v2/projects/shop/metric-groups/g', rename, { ...BETA, token: s.tokens.reader })).status).toBe(403);
    expect((await s.patch('/api/v2/projects/shop/metric-groups/g', rename, { ...BETA, token: null })).status).toBe(401);
    expect((await s.get('/api/v2/projects/shop/metric-groups/g', BETA)).body.name).toBe('G');
  });

  it("cannot pull in a metric of another project", async () => {
    const res = await s.patch('/api/v2/projects/shop/metric-groups/g', [{ op: 'add', path: '/metrics/-', value: { key: 'other-metric' } }], { ...BETA, token: s.tokens.writer });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'metrics[1].key', reason: 'no metric "other-metric" in project "shop"' }]);
  });

  it('refuses prototype paths', async () => {
    const res = await s.patch('/api/v2/projects/shop/metric-groups/g', [{ op: 'add', path: '/metrics/0/__proto__', value: { polluted: true } }], BETA);
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
