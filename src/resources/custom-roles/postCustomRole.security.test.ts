import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAdminOnly } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postCustomRole: security', () => {
  let s: TestServer;
  const body = { key: 'ops', name: 'Ops', basePermissions: 'reader', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] };
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('only an admin creates roles: 403 for a reader and a writer, 401 without a token or with an unknown one; nothing is written', async () => {
    await expectAdminOnly(s, (token) => s.post('/api/v2/roles', body, { token }));
    expect((await s.get('/api/v2/roles/ops')).status).toBe(404);
    expect((await s.post('/api/v2/roles', body, { token: s.tokens.admin })).status).toBe(201);
  });

  it('refuses a body that would reach Object.prototype', async () => {
    const res = await s.request('POST', '/api/v2/roles', { raw: '{"key":"proto","name":"P","policy":[],"__proto__":{"polluted":true}}' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await s.get('/api/v2/roles/proto')).status).toBe(404);
  });
});
