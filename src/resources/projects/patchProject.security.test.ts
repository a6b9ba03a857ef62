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

  it('401 without a token; 403 for a reader token; a writer may patch and delete projects', async () => {
    expect((await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/name', value: 'x' }], { token: null })).status).toBe(401);
    expect((await s.del('/api/v2/projects/shop', { token: null })).status).toBe(401);
    const patched = await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/name', value: 'x' }], { token: s.tokens.reader });
    expect(patched.status).toBe(403);
    expect(patched.body.code).toBe('forbidden');
    expect((await s.del('/api/v2/projects/shop', { token: s.tokens.reader })).status).toBe(403);
    expect((await s.get('/api/v2/projects/shop')).body.name).toBe('Shop');
    const writer = { token: s.tokens.writer };
    expect((await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/name', value: 'Shop 2' }], writer)).body.name).toBe('Shop 2');
    expect((await s.del('/api/v2/projects/blog', writer)).status).toBe(204);
  });
});
