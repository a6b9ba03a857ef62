import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteMetricGroup: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    for (const p of ['shop', 'other']) {
      await s.post('/api/v2/projects', { name: p, key: p });
      await s.post(`/api/v2/metrics/${p}`, { key: 'm', kind: 'custom', eventKey: 'm', isNumeric: false });
      await s.post(`/api/v2/projects/${p}/metric-groups`, { key: 'g', name: 'G', kind: 'standard', maintainerId: s.deps.accountId, tags: [], metrics: [{ key: 'm' }] }, BETA);
    }
  });
  afterAll(() => s.close());

  it('403 without the beta header or for a reader, 401 without a token; the group stays', async () => {
    expect((await s.del('/api/v2/projects/shop/metric-groups/g')).status).toBe(403);
    expect((await s.del('/api/v2/projects/shop/metric-groups/g', { ...BETA, token: s.tokens.reader })).status).toBe(403);
    expect((await s.del('/api/v2/projects/shop/metric-groups/g', { ...BETA, token: null })).status).toBe(401);
    expect((await s.get('/api/v2/projects/shop/metric-groups/g', BETA)).status).toBe(200);
  });

  it("deleting a group in one project leaves another project's group of the same key", async () => {
    expect((await s.del('/api/v2/projects/shop/metric-groups/g', { ...BETA, token: s.tokens.writer })).status).toBe(204);
    expect((await s.get('/api/v2/projects/other/metric-groups/g', BETA)).status).toBe(200);
  });
});
