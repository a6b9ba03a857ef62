import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchProject and deleteProject: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Blog', key: 'blog' });
  });
  afterAll(() => s.close());

  it('401 without a token; 403 for reader and writer tokens (projects need admin)', async () => {
    expect((await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/name', value: 'x' }], { token: null })).status).toBe(401);
    expect((await s.del('/api/v2/projects/shop', { token: null })).status).toBe(401);
    for (const role of ['reader', 'writer'] as const) {
      const patched = await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/name', value: 'x' }], { token: s.tokens[role] });
      expect(patched.status).toBe(403);
      expect(patched.body.code).toBe('forbidden');
      expect((await s.del('/api/v2/projects/shop', { token: s.tokens[role] })).status).toBe(403);
    }
    expect((await s.get('/api/v2/projects/shop')).body.name).toBe('Shop');
  });
});
