// getContextAttributeValues: who may call it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, seedContexts } from '../../../test/support/contexts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getContextAttributeValues: security', () => {
  let s: TestServer;
  let base: string;
  const call = (path: string, options: { body?: unknown; token?: string | null } = {}) => s.request('GET', `${base}${path}`, options);
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ({ base } = await seedContexts(s));
  });
  afterAll(() => s.close());

  it('401 without a token, and for an SDK key (not an access token)', async () => {
    const sdkKey = (await s.get(base)).body.apiKey;
    for (const token of [null, sdkKey]) {
      const res = await call('/context-attributes/country', { token });
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('unauthorized');
    }
  });

  it('it only reads: a reader token may ask, and nothing is written', async () => {
    const count = async () => (await s.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const before = await count();
    const res = await call('/context-attributes/country', { token: s.tokens.reader });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(0);
    expect(await count()).toEqual(before);
  });
});
