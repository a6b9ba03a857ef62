import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchMetric: security', () => {
  let s: TestServer;
  const rename = [{ op: 'replace', path: '/name', value: 'Renamed' }];
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/metrics/shop', { key: 'm', kind: 'custom', eventKey: 'e', isNumeric: false });
  });
  afterAll(() => s.close());

  it('401 without a token, 403 for a reader; the metric is unchanged', async () => {
    expect((await s.patch('/api/v2/metrics/shop/m', rename, { token: null })).status).toBe(401);
    const res = await s.patch('/api/v2/metrics/shop/m', rename, { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await s.get('/api/v2/metrics/shop/m')).body.name).toBe('m');
  });

  it('a writer may patch', async () => {
    expect((await s.patch('/api/v2/metrics/shop/m', rename, { token: s.tokens.writer })).status).toBe(200);
  });

  it('refuses paths that reach the prototype, and pollutes nothing', async () => {
    for (const path of ['/__proto__/polluted', '/tags/__proto__', '/eventDefault/constructor']) {
      const res = await s.patch('/api/v2/metrics/shop/m', [{ op: 'add', path, value: true }]);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('tunnelled through POST with X-HTTP-Method-Override it is still a patch that needs a writer', async () => {
    const res = await s.request('POST', '/api/v2/metrics/shop/m', { body: rename, token: s.tokens.reader, headers: { 'x-http-method-override': 'PATCH' } });
    expect(res.status).toBe(403);
  });
});
