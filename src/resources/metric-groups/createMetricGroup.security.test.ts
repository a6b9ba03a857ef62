import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('createMetricGroup: security', () => {
  let s: TestServer;
  let body: Record<string, unknown>;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/metrics/shop', { key: 'a', kind: 'custom', eventKey: 'a', isNumeric: false });
    await s.post('/api/v2/metrics/other', { key: 'theirs', kind: 'custom', eventKey: 't', isNumeric: false });
    body = { key: 'g', name: 'G', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'a' }] };
  });
  afterAll(() => s.close());

  it('403 without LD-API-Version: beta (it is a beta resource), whatever other version is sent', async () => {
    const none = await s.post('/api/v2/projects/shop/metric-groups', body);
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
    expect((await s.post('/api/v2/projects/shop/metric-groups', body, { headers: { 'ld-api-version': '20240415' } })).status).toBe(403);
    expect((await s.get('/api/v2/projects/shop/metric-groups/g', BETA)).status).toBe(404);
  });

  it('401 without a token, 403 for a reader', async () => {
    expect((await s.post('/api/v2/projects/shop/metric-groups', body, { ...BETA, token: null })).status).toBe(401);
    expect((await s.post('/api/v2/projects/shop/metric-groups', body, { ...BETA, token: s.tokens.reader })).status).toBe(403);
  });

  it("cannot take a metric from another project", async () => {
    const res = await s.post('/api/v2/projects/shop/metric-groups', { ...body, metrics: [{ key: 'theirs' }] }, { ...BETA, token: s.tokens.writer });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'metrics[0].key', reason: 'no metric "theirs" in project "shop"' }]);
  });
});
