import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertExperimentUsing } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteMetric: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/metrics/shop', { key: 'm', kind: 'custom', eventKey: 'e', isNumeric: false });
    await s.post('/api/v2/metrics/other', { key: 'm', kind: 'custom', eventKey: 'e', isNumeric: false });
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for a reader; the metric stays', async () => {
    expect((await s.del('/api/v2/metrics/shop/m', { token: null })).status).toBe(401);
    const res = await s.del('/api/v2/metrics/shop/m', { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await s.get('/api/v2/metrics/shop/m')).status).toBe(200);
  });

  it("an experiment in another project does not protect this project's metric of the same key", async () => {
    await insertExperimentUsing(s, { projectKey: 'other', key: 'theirs', status: 'running', refs: [{ kind: 'metric', key: 'm' }] });
    expect((await s.del('/api/v2/metrics/shop/m', { token: s.tokens.writer })).status).toBe(204);
    expect((await s.get('/api/v2/metrics/other/m')).status).toBe(200);
    expect((await s.del('/api/v2/metrics/other/m')).status).toBe(409);
  });
});
