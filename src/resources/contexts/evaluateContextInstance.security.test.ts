import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('evaluateContextInstance: security', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/production/flags/evaluate';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/flags/shop', { key: 'f', name: 'F' });
  });
  afterAll(() => s.close());

  it('401 without a token; an SDK key is not an access token', async () => {
    const sdkKey = (await s.get('/api/v2/projects/shop/environments/production')).body.apiKey;
    for (const token of [null, sdkKey]) {
      const res = await s.post(path, { kind: 'user', key: 'a' }, { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it('it only reads: a reader token may ask, and nothing is written', async () => {
    const count = async () => (await s.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const res = await s.post(path, { kind: 'user', key: 'a' }, { token: s.tokens.reader });
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(1);
    expect(await count()).toEqual(before);
  });
});
