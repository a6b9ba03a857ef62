import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

const PATH = '/api/v2/flags/shop/f/copy';
const TO_TEST = { source: { key: 'production' }, target: { key: 'test' } };

describe('copyFeatureFlag: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/flags/shop', { name: 'F', key: 'f' });
    expect((await s.patch('/api/v2/flags/shop/f', [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
  });
  afterAll(() => s.close());

  async function refused(body: unknown, token: string | null): Promise<Response> {
    let res: Response | undefined;
    expect(await changedBy(s.store, async () => (res = await s.post(PATH, body, { token })))).toBe(false);
    return res!;
  }

  async function customRoleToken(key: string, policy: unknown[]): Promise<string> {
    expect((await s.post('/api/v2/roles', { key, name: key, policy })).status).toBe(201);
    const token = await s.post('/api/v2/tokens', { name: key, customRoleIds: [key] });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    return token.body.token;
  }

  it('401 without a token or with an unknown one, and nothing changes', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      const res = await refused(TO_TEST, token);
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    }
  });

  it('403 for a reader token, and nothing changes', async () => {
    const res = await refused(TO_TEST, s.tokens.reader);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('a custom role needs copyFlagConfigFrom on the source and copyFlagConfigTo on the target', async () => {
    const view = { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] };
    const promoter = await customRoleToken('promoter', [
      view,
      { effect: 'allow', resources: ['proj/shop:env/production:flag/*'], actions: ['copyFlagConfigFrom'] },
      { effect: 'allow', resources: ['proj/shop:env/test:flag/*'], actions: ['copyFlagConfigTo'] },
    ]);
    // The other way round is not granted: neither reading test's settings nor writing production's.
    const back = await refused({ source: { key: 'test' }, target: { key: 'production' } }, promoter);
    expect(back.status).toBe(403);
    expect(back.body.code).toBe('forbidden');
    expect(back.body.message).toContain('copyFlagConfigFrom on proj/shop:env/test:flag/f');

    const writeOnly = await customRoleToken('write-only', [view, { effect: 'allow', resources: ['proj/shop:env/test:flag/*'], actions: ['copyFlagConfigTo', 'updateOn'] }]);
    const missing = await refused(TO_TEST, writeOnly);
    expect(missing.status).toBe(403);
    expect(missing.body.message).toContain('copyFlagConfigFrom on proj/shop:env/production:flag/f');

    const blind = await customRoleToken('blind', [
      { effect: 'allow', resources: ['proj/shop:env/production:flag/*'], actions: ['copyFlagConfigFrom'] },
      { effect: 'allow', resources: ['proj/shop:env/test:flag/*'], actions: ['copyFlagConfigTo'] },
    ]);
    expect((await refused(TO_TEST, blind)).status).toBe(403);

    const res = await s.post(PATH, TO_TEST, { token: promoter });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.environments.test.on).toBe(true);
  });

  it('a writer token may copy; the audit entry names its token', async () => {
    const res = await s.post(PATH, { ...TO_TEST, excludedActions: ['updateOn'] }, { token: s.tokens.writer });
    expect(res.status).toBe(201);
    await s.patch('/api/v2/flags/shop/f', [{ op: 'replace', path: '/environments/test/offVariation', value: 0 }], { token: s.tokens.writer });
    const copied = await s.post(PATH, { source: { key: 'production' }, target: { key: 'test' }, includedActions: ['updateOffVariation'] }, { token: s.tokens.writer });
    expect(copied.status).toBe(201);
    const entry = await s.store.db.selectFrom('audit_log').selectAll().where('kind', '=', 'flag').orderBy('date', 'desc').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(entry.doc)).toMatchObject({ action: 'copyFlagConfigTo', tokenName: 'test writer' });
  });

  it('refuses bodies that reach for Object.prototype', async () => {
    const raw = await s.request('POST', PATH, { raw: '{"source":{"key":"production","__proto__":{"polluted":true}},"target":{"key":"test"}}' });
    expect(raw.status).toBe(400);
    expect(raw.body.code).toBe('invalid_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const key = await refused({ source: { key: '__proto__' }, target: { key: 'test' } }, s.tokens.admin);
    expect(key.status).toBe(400);
    expect(key.body.errors).toEqual([{ attribute: 'source.key', reason: 'there is no environment "__proto__" in project "shop"' }]);
  });
});
