import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('updateLayer: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
    expect((await s.post('/api/v2/projects/proj/layers', { key: 'layer', name: 'Layer', description: '' })).status).toBe(201);
  });
  afterAll(() => s.close());
  const path = '/api/v2/projects/proj/layers/layer';
  const rename = (name: string) => ({ instructions: [{ kind: 'updateName', name }] });

  it('401 without a token or with an unknown one', async () => {
    expect((await s.patch(path, rename('x'), { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.patch(path, rename('x'), { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
  });

  it('403 for a reader token, and nothing changes; a writer may update', async () => {
    const res = await s.patch(path, rename('Reader'), { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await s.get('/api/v2/projects/proj/layers')).body.items[0].name).toBe('Layer');
    const ok = await s.patch(path, rename('Writer'), { token: s.tokens.writer });
    expect(ok.status).toBe(200);
    expect(ok.body.name).toBe('Writer');
  });

  it('refuses __proto__ in a patch body without polluting anything', async () => {
    const res = await s.request('PATCH', path, { raw: '{"instructions":[{"kind":"updateName","name":"p","__proto__":{"polluted":true}}]}' });
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
