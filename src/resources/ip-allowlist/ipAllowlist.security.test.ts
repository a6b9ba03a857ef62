// Who may manage the IP allowlist: admins only, reads included (an account-level security setting); a custom role
// needs LaunchDarkly's actions on `ip-allowlist` (viewIpAllowlist, createIpAllowlistEntry, updateIpAllowlistEntry,
// deleteIpAllowlistEntry, updateIpAllowlistEnabled). Enforcement applies to custom-role tokens as to any.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAdminOnly, expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { 'LD-API-Version': 'beta' };
const PATH = '/api/v2/account/ip-allowlist';

describe('IP allowlist: security', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post(PATH, { ipAddress: '127.0.0.1', description: 'This machine' }, { headers: BETA })).body._id;
  });
  afterAll(() => s.close());

  const sends = (token: string | null) => [
    () => s.get(PATH, { token, headers: BETA }),
    () => s.patch(PATH, { sessionAllowlistEnabled: true }, { token, headers: BETA }),
    () => s.post(PATH, { ipAddress: '192.0.2.0/24' }, { token, headers: BETA }),
    () => s.patch(`${PATH}/${id}`, { description: 'Changed' }, { token, headers: BETA }),
    () => s.del(`${PATH}/${id}`, { token, headers: BETA }),
  ];

  it('admins only: readers and writers 403, no token or an unknown one 401, nothing changed', async () => {
    for (let i = 0; i < 5; i++) await expectAdminOnly(s, (token) => sends(token)[i]());
  });

  it("custom roles: each operation needs its action on ip-allowlist; acct's actions do not grant them", async () => {
    const role = async (resources: string[], actions: string[]) => (await s.post('/api/v2/tokens', { name: actions.join() || 'none', inlineRole: [{ effect: 'allow', resources, actions }] })).body.token as string;
    const viewer = await role(['ip-allowlist'], ['viewIpAllowlist']);
    expect((await s.get(PATH, { token: viewer, headers: BETA })).status).toBe(200);
    for (const send of sends(viewer).slice(1)) await expectRefused(s.store, send, 403, 'forbidden');
    const account = await role(['acct'], ['*']);
    for (const send of sends(account)) await expectRefused(s.store, send, 403, 'forbidden', /ip-allowlist/);
    const creator = await role(['ip-allowlist'], ['createIpAllowlistEntry']);
    await expectRefused(s.store, () => s.get(PATH, { token: creator, headers: BETA }), 403, 'forbidden', /viewIpAllowlist on ip-allowlist/);
    const all = await role(['ip-allowlist'], ['viewIpAllowlist', 'updateIpAllowlistEnabled', 'createIpAllowlistEntry', 'updateIpAllowlistEntry', 'deleteIpAllowlistEntry']);
    const statuses = [];
    for (const send of sends(all)) statuses.push((await send()).status);
    expect(statuses).toEqual([200, 200, 201, 200, 204]);
  });

  it('enforcement refuses every token outside, custom-role ones included, and never shows the allowlist there', async () => {
    const inside = (await s.post(PATH, { ipAddress: '10.0.0.0/8' }, { headers: BETA })).body._id;
    expect((await s.patch(PATH, { apiTokenAllowlistEnabled: true }, { headers: BETA, remoteAddress: '10.1.1.1' })).status).toBe(200);
    const custom = (await s.post('/api/v2/tokens', { name: 'viewer', inlineRole: [{ effect: 'allow', resources: ['ip-allowlist'], actions: ['*'] }] }, { remoteAddress: '10.1.1.1' })).body.token;
    for (const token of [s.tokens.admin, s.tokens.writer, custom]) {
      const res = await s.get(PATH, { token, headers: BETA, remoteAddress: '198.51.100.1' });
      expect(res.status).toBe(403);
      expect(JSON.stringify(res.body)).not.toContain('10.0.0.0');
    }
    expect((await s.get(PATH, { token: custom, headers: BETA, remoteAddress: '10.9.9.9' })).status).toBe(200);
    expect((await s.patch(PATH, { apiTokenAllowlistEnabled: false }, { headers: BETA, remoteAddress: '10.1.1.1' })).status).toBe(200);
    expect((await s.del(`${PATH}/${inside}`, { headers: BETA })).status).toBe(204);
  });
});
