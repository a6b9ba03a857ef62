import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getContextInstanceSegmentsMembershipByEnv: security', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/production/segments/evaluate';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-00000000dead']) {
      const res = await s.post(path, { kind: 'user', key: 'a' }, { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it('it only reads: a reader token may ask, and nothing is written', async () => {
    const before = await s.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const res = await s.post(path, { kind: 'user', key: 'a' }, { token: s.tokens.reader });
    expect(res.status).toBe(200);
    const after = await s.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toEqual(before.n);
  });
});
