import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getDependentFlags: security', () => {
  let s: TestServer;
  const path = '/api/v2/flags/shop/gate/dependent-flags';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    const gate = await s.post('/api/v2/flags/shop', { name: 'Gate', key: 'gate' });
    await s.post('/api/v2/flags/shop', { name: 'Child', key: 'child', initialPrerequisites: [{ key: 'gate', variationId: gate.body.variations[0]._id }] });
    await s.post('/api/v2/flags/other', { name: 'Gate', key: 'gate' });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one, the same whether the flag exists or not', async () => {
    const known = await s.get(path, { ...BETA, token: null });
    expect(known.status).toBe(401);
    expect(known.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.get('/api/v2/flags/shop/ghost/dependent-flags', { ...BETA, token: null })).body).toEqual(known.body);
    expect((await s.get(path, { ...BETA, token: 'api-00000000-0000-4000-8000-000000000000' })).status).toBe(401);
  });

  it('every role may read', async () => {
    for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) {
      const res = await s.get(path, { ...BETA, token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { key: string }) => i.key)).toEqual(['child']);
    }
  });

  it("another project's flag of the same key shows only its own dependents", async () => {
    expect((await s.get('/api/v2/flags/other/gate/dependent-flags', BETA)).body.items).toEqual([]);
  });

  it('a custom role that may not view the project is refused; one that may is let through', async () => {
    const blind = await s.post('/api/v2/tokens', { name: 'other only', inlineRole: [{ effect: 'allow', resources: ['proj/other'], actions: ['*'] }] });
    const seeing = await s.post('/api/v2/tokens', { name: 'shop viewer', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }] });
    const refused = await s.get(path, { ...BETA, token: blind.body.token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    expect((await s.get(path, { ...BETA, token: seeing.body.token })).status).toBe(200);
  });

  it('keys that try to escape the path or inject are plain values', async () => {
    for (const [key, status] of [
      ["gate' or '1'='1", 404],
      ['gate%25', 404],
      ['..%2F..%2Fprojects', 404],
      ['%22key%22%3A%22gate', 404],
      ['gate%00', 400],
    ] as const) {
      expect((await s.get(`/api/v2/flags/shop/${key}/dependent-flags`, BETA)).status, key).toBe(status);
    }
  });
});
