import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postFeatureFlag: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one', async () => {
    expect((await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' }, { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' }, { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
  });

  it('403 for a reader token, and nothing is created', async () => {
    const res = await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' }, { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(res.body.message).toContain('writer');
    expect((await s.get('/api/v2/flags/shop/f')).status).toBe(404);
  });

  it('a writer token may create flags', async () => {
    const res = await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' }, { token: s.tokens.writer });
    expect(res.status).toBe(201);
  });

  it('refuses __proto__ in the body and pollutes nothing', async () => {
    const res = await s.request('POST', '/api/v2/flags/shop', { raw: '{"name":"P","key":"p","customProperties":{"__proto__":{"polluted":true}}}' });
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
