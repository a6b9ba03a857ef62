import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('environment writes: security', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/test';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('401 without a token and 403 for reader and writer tokens on patch, delete and key resets (admin only)', async () => {
    const calls = (token: string | null) => [
      s.patch(path, [{ op: 'replace', path: '/name', value: 'x' }], { token }),
      s.del(path, { token }),
      s.request('POST', `${path}/apiKey`, { token }),
      s.request('POST', `${path}/mobileKey`, { token }),
    ];
    for (const res of await Promise.all(calls(null))) expect(res.status).toBe(401);
    for (const role of ['reader', 'writer'] as const) {
      for (const res of await Promise.all(calls(s.tokens[role]))) {
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
    }
    expect((await s.get(path)).body.name).toBe('Test');
  });
});
