// Who may manage OAuth 2.0 clients: LaunchDarkly asks Admin privileges for every operation, reads included; a custom
// role needs iterlab's actions on `acct` (viewOAuthClients, createOAuthClient, updateOAuthClient, deleteOAuthClient),
// which `*` on `acct` grants. No answer ever carries a secret but the registration's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAdminOnly, expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('OAuth 2.0 clients: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post('/api/v2/oauth/clients', { name: 'Client', redirectUri: 'https://example.com/cb' })).body._clientId;
  });
  afterAll(() => s.close());

  const sends = (token: string | null) => [
    () => s.get('/api/v2/oauth/clients', { token }),
    () => s.get(`/api/v2/oauth/clients/${id}`, { token }),
    () => s.post('/api/v2/oauth/clients', { name: 'New', redirectUri: 'https://new.example.com/cb' }, { token }),
    () => s.patch(`/api/v2/oauth/clients/${id}`, [{ op: 'replace', path: '/name', value: 'Renamed' }], { token }),
    () => s.del(`/api/v2/oauth/clients/${id}`, { token }),
  ];

  it('admins only: readers and writers 403, no token or an unknown one 401, nothing changed', async () => {
    for (let i = 0; i < 5; i++) await expectAdminOnly(s, (token) => sends(token)[i]());
  });

  it('custom roles: each operation needs its action on acct; * on acct grants them all', async () => {
    const role = async (actions: string[]) => (await s.post('/api/v2/tokens', { name: actions.join() || 'none', inlineRole: [{ effect: 'allow', resources: ['acct'], actions }] })).body.token as string;
    const viewer = await role(['viewOAuthClients']);
    expect((await s.get('/api/v2/oauth/clients', { token: viewer })).status).toBe(200);
    expect((await s.get(`/api/v2/oauth/clients/${id}`, { token: viewer })).status).toBe(200);
    for (const send of sends(viewer).slice(2)) await expectRefused(s.store, send, 403, 'forbidden');
    const creator = await role(['createOAuthClient']);
    await expectRefused(s.store, () => s.get('/api/v2/oauth/clients', { token: creator }), 403, 'forbidden', /viewOAuthClients on acct/);
    expect((await s.post('/api/v2/oauth/clients', { name: 'By role', redirectUri: 'https://role.example.com/cb' }, { token: creator })).status).toBe(201);
    const projectOnly = (await s.post('/api/v2/tokens', { name: 'projects', inlineRole: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body.token;
    for (const send of sends(projectOnly)) await expectRefused(s.store, send, 403, 'forbidden');
    const all = await role(['*']);
    const statuses = [];
    for (const send of sends(all)) statuses.push((await send()).status);
    expect(statuses).toEqual([200, 200, 201, 200, 204]);
  });

  it('no read shows a secret', async () => {
    const made = (await s.post('/api/v2/oauth/clients', { name: 'Secret', redirectUri: 'https://secret.example.com/cb' })).body;
    for (const path of ['/api/v2/oauth/clients', `/api/v2/oauth/clients/${made._clientId}`]) expect(JSON.stringify((await s.get(path)).body)).not.toContain(made._clientSecret);
    const patched = await s.patch(`/api/v2/oauth/clients/${made._clientId}`, [{ op: 'replace', path: '/name', value: 'Still secret' }]);
    expect(JSON.stringify(patched.body)).not.toContain(made._clientSecret);
  });
});
