import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetrics: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/metrics/shop', { key: 'mine', kind: 'custom', eventKey: 'e', isNumeric: false });
    await s.post('/api/v2/metrics/other', { key: 'theirs', kind: 'custom', eventKey: 'e', isNumeric: false });
  });
  afterAll(() => s.close());

  it('401 without a token', async () => {
    expect((await s.get('/api/v2/metrics/shop', { token: null })).status).toBe(401);
  });

  it('a reader token may list', async () => {
    expect((await s.get('/api/v2/metrics/shop', { token: s.tokens.reader })).status).toBe(200);
  });

  it("lists only the project's own metrics, whatever the filter says", async () => {
    const res = await s.get(`/api/v2/metrics/shop?filter=${encodeURIComponent('query equals theirs')}`);
    expect(res.body.items).toEqual([]);
    expect((await s.get('/api/v2/metrics/shop')).body.items.map((m: { key: string }) => m.key)).toEqual(['mine']);
  });

  it('a filter value is data, never SQL', async () => {
    const res = await s.get(`/api/v2/metrics/shop?filter=${encodeURIComponent(`query equals "x' or '1'='1"`)}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });
});
