import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getDependentFlagsByEnv: security', () => {
  let s: TestServer;
  const path = '/api/v2/flags/shop/production/gate/dependent-flags';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    const gate = await s.post('/api/v2/flags/shop', { name: 'Gate', key: 'gate' });
    await s.post('/api/v2/flags/shop', { name: 'Child', key: 'child', initialPrerequisites: [{ key: 'gate', variationId: gate.body.variations[0]._id }] });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one, the same whether the environment exists or not', async () => {
    const known = await s.get(path, { ...BETA, token: null });
    expect(known.status).toBe(401);
    expect(known.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.get('/api/v2/flags/shop/moon/gate/dependent-flags', { ...BETA, token: null })).body).toEqual(known.body);
    expect((await s.get(path, { ...BETA, token: 'api-00000000-0000-4000-8000-000000000000' })).status).toBe(401);
  });

  it('every role may read; an SDK key is not an API token', async () => {
    for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) {
      const res = await s.get(path, { ...BETA, token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((i: { key: string }) => i.key)).toEqual(['child']);
    }
    const env = await s.get('/api/v2/projects/shop/environments/production');
    expect((await s.get(path, { ...BETA, token: env.body.apiKey })).status).toBe(401);
  });

  it('a custom role that may not view the project is refused', async () => {
    const blind = await s.post('/api/v2/tokens', { name: 'nothing', inlineRole: [{ effect: 'allow', resources: ['proj/elsewhere'], actions: ['*'] }] });
    const res = await s.get(path, { ...BETA, token: blind.body.token });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });

  it('keys that try to escape the path or inject are plain values', async () => {
    for (const [env, status] of [
      ["production' or '1'='1", 404],
      ['..%2F..', 404],
      ['production%00', 400],
    ] as const) {
      expect((await s.get(`/api/v2/flags/shop/${env}/gate/dependent-flags`, BETA)).status, env).toBe(status);
    }
  });
});
