import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchFeatureFlag: security', () => {
  let s: TestServer;
  const turnOn = [{ op: 'replace', path: '/environments/production/on', value: true }];
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
  });
  afterAll(() => s.close());

  it('401 without a token', async () => {
    const res = await s.patch('/api/v2/flags/shop/f', turnOn, { token: null });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('403 for a reader token, and nothing changes', async () => {
    const res = await s.patch('/api/v2/flags/shop/f', turnOn, { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await s.get('/api/v2/flags/shop/f')).body.environments.production.on).toBe(false);
  });

  it('a writer token may patch; the audit entry names its token', async () => {
    const res = await s.patch('/api/v2/flags/shop/f', turnOn, { token: s.tokens.writer });
    expect(res.status).toBe(200);
    const entry = await s.store.db.selectFrom('audit_log').selectAll().where('kind', '=', 'flag').orderBy('date', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'updateFlag', tokenName: 'test writer' });
  });

  it('X-HTTP-Method-Override tunnels PATCH through POST with the same role check', async () => {
    const headers = { 'x-http-method-override': 'PATCH' };
    const reader = await s.request('POST', '/api/v2/flags/shop/f', { body: [{ op: 'replace', path: '/name', value: 'G' }], headers, token: s.tokens.reader });
    expect(reader.status).toBe(403);
    const writer = await s.request('POST', '/api/v2/flags/shop/f', { body: [{ op: 'replace', path: '/name', value: 'G' }], headers, token: s.tokens.writer });
    expect(writer.status).toBe(200);
    expect(writer.body.name).toBe('G');
  });

  it('a specifier naming two tags reaches only flags carrying both (LaunchDarkly: separate statements make an "or")', async () => {
    await s.post('/api/v2/flags/shop', { name: 'Both', key: 'both', tags: ['ops', 'web'] });
    await s.post('/api/v2/flags/shop', { name: 'One', key: 'one', tags: ['ops'] });
    const inlineRole = [
      { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] },
      { effect: 'allow', resources: ['proj/shop:env/*:flag/*;ops,web'], actions: ['updateOn'] },
    ];
    const token = (await s.post('/api/v2/tokens', { name: 'tagged', inlineRole })).body.token;
    expect((await s.patch('/api/v2/flags/shop/both', turnOn, { token })).status).toBe(200);
    const refused = await s.patch('/api/v2/flags/shop/one', turnOn, { token });
    expect(refused.status).toBe(403);
    expect(refused.body).toEqual({ code: 'forbidden', message: expect.stringContaining('updateOn on proj/shop:env/production:flag/one') });
    expect((await s.get('/api/v2/flags/shop/one')).body.environments.production.on).toBe(false);
  });

  it('refuses patches that reach for Object.prototype', async () => {
    const res = await s.patch('/api/v2/flags/shop/f', [{ op: 'add', path: '/customProperties/__proto__', value: { name: 'x', value: [] } }]);
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).name).toBeUndefined();
    const raw = await s.request('PATCH', '/api/v2/flags/shop/f', { raw: '[{"op":"add","path":"/customProperties/x","value":{"__proto__":{"polluted":true}}}]' });
    expect(raw.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
