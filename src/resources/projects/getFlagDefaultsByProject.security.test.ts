import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFlagDefaultsByProject: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one, the same whether the project exists or not', async () => {
    const known = await s.get('/api/v2/projects/shop/flag-defaults', { token: null });
    expect(known.status).toBe(401);
    expect(known.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.get('/api/v2/projects/nope/flag-defaults', { token: null })).body).toEqual(known.body);
    expect((await s.get('/api/v2/projects/shop/flag-defaults', { token: 'api-00000000-0000-4000-8000-000000000000' })).status).toBe(401);
  });

  it('every role may read; an SDK key is not an API token', async () => {
    for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) expect((await s.get('/api/v2/projects/shop/flag-defaults', { token })).status).toBe(200);
    const env = await s.get('/api/v2/projects/shop/environments/production');
    expect((await s.get('/api/v2/projects/shop/flag-defaults', { token: env.body.apiKey })).status).toBe(401);
  });

  it('a custom role must be allowed to view the project', async () => {
    const blind = await s.post('/api/v2/tokens', { name: 'elsewhere', inlineRole: [{ effect: 'allow', resources: ['proj/elsewhere'], actions: ['*'] }] });
    const viewer = await s.post('/api/v2/tokens', { name: 'viewer', inlineRole: [{ effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] }] });
    const refused = await s.get('/api/v2/projects/shop/flag-defaults', { token: blind.body.token });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    expect((await s.get('/api/v2/projects/shop/flag-defaults', { token: viewer.body.token })).status).toBe(200);
  });

  it('keys that try to escape the path or inject are plain values', async () => {
    for (const [key, status] of [
      ["shop' or '1'='1", 404],
      ['..%2Fshop', 404],
      ['shop%00', 400],
    ] as const) {
      expect((await s.get(`/api/v2/projects/${key}/flag-defaults`)).status, key).toBe(status);
    }
  });
});
