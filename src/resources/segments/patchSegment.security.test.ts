import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchSegment: security', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production/beta';
  const rename = [{ op: 'replace', path: '/name', value: 'Renamed' }];
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/segments/shop/production', { name: 'Beta', key: 'beta' });
    await s.patch(path, [{ op: 'add', path: '/rules/-', value: { clauses: [{ attribute: 'email', op: 'endsWith', values: ['.edu'] }] } }]);
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one; the segment is unchanged', async () => {
    expect((await s.patch(path, rename, { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.patch(path, rename, { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
    expect((await s.get(path)).body.name).toBe('Beta');
  });

  it('403 for a reader, for every kind of patch; the segment is unchanged', async () => {
    for (const body of [rename, { merge: { name: 'Renamed' } }, { environmentKey: 'production', instructions: [{ kind: 'updateName', value: 'Renamed' }] }]) {
      const res = await s.patch(path, body, { token: s.tokens.reader });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
      expect(res.body.message).toContain('writer');
    }
    expect((await s.get(path)).body).toMatchObject({ name: 'Beta', version: 2 });
  });

  it('a writer may patch', async () => {
    const res = await s.patch(path, rename, { token: s.tokens.writer });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Renamed');
  });

  it('refuses paths that reach the prototype, and pollutes nothing', async () => {
    for (const pointer of ['/__proto__/polluted', '/tags/__proto__', '/rules/0/constructor', '/rules/0/clauses/0/__proto__']) {
      const res = await s.patch(path, [{ op: 'add', path: pointer, value: true }]);
      expect(res.status, pointer).toBe(400);
      expect(res.body.code).toBe('invalid_request');
    }
    const merged = await s.request('PATCH', path, { raw: '{"merge":{"__proto__":{"polluted":true}}}' });
    expect(merged.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('tunnelled through POST with X-HTTP-Method-Override it is still a patch that needs a writer', async () => {
    const res = await s.request('POST', path, { body: rename, token: s.tokens.reader, headers: { 'x-http-method-override': 'PATCH' } });
    expect(res.status).toBe(403);
  });

  it("404 through another environment's or project's key, even for a writer", async () => {
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    expect((await s.patch('/api/v2/segments/shop/test/beta', rename, { token: s.tokens.writer })).status).toBe(404);
    expect((await s.patch('/api/v2/segments/other/production/beta', rename, { token: s.tokens.writer })).status).toBe(404);
  });

  it('a semantic patch cannot reach another environment by naming it: the URL decides', async () => {
    await s.post('/api/v2/segments/shop/test', { name: 'Test beta', key: 'beta' });
    const res = await s.patch(path, { environmentKey: 'test', instructions: [{ kind: 'updateName', value: 'Hijacked' }] });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].attribute).toBe('environmentKey');
    expect((await s.get('/api/v2/segments/shop/test/beta')).body.name).toBe('Test beta');
  });
});
