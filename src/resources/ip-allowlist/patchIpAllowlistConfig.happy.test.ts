// patchIpAllowlistConfig: with apiTokenAllowlistEnabled on, REST requests by access token from an address outside
// every entry are refused (403 naming the address), from inside answered; the SDK routes are not affected; off again,
// every address is answered. sessionAllowlistEnabled is kept and shown, and enforces nothing (no browser sessions).
// Each test has its own server and store: an allowlist enabled here reaches no other test.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createWorld } from '../../../test/support/fixtures.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { 'LD-API-Version': 'beta' };
const OFFICE = '203.0.113.9';
const HOME = '2001:db8::77';
const OUTSIDE = '198.51.100.1';

describe('patchIpAllowlistConfig', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startServer();
  });
  afterEach(() => s.close());

  const allowlist = (body: unknown, remoteAddress = OFFICE) => s.patch('/api/v2/account/ip-allowlist', body, { headers: BETA, remoteAddress });

  it('enforced for access tokens: outside every entry 403 naming the address; inside answered; off again, answered', async () => {
    await s.post('/api/v2/account/ip-allowlist', { ipAddress: '203.0.113.0/24', description: 'Office' }, { headers: BETA });
    await s.post('/api/v2/account/ip-allowlist', { ipAddress: '2001:db8::/32', description: 'Home' }, { headers: BETA });
    const res = await allowlist({ apiTokenAllowlistEnabled: true });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sessionAllowlistEnabled: false, apiTokenAllowlistEnabled: true });
    expect(res.body.entries).toHaveLength(2);
    for (const token of [s.tokens.reader, s.tokens.admin]) {
      const refused = await s.get('/api/v2/projects', { token, remoteAddress: OUTSIDE });
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ code: 'forbidden', message: `Forbidden. Requests from the IP address ${OUTSIDE} are not allowed: it is outside every entry of the account's IP allowlist` });
      expect((await s.get('/api/v2/projects', { token, remoteAddress: OFFICE })).status).toBe(200);
      expect((await s.get('/api/v2/projects', { token, remoteAddress: HOME })).status).toBe(200);
      // A dual-stack listener's IPv4-mapped address is its IPv4 address.
      expect((await s.get('/api/v2/projects', { token, remoteAddress: `::ffff:${OFFICE}` })).status).toBe(200);
    }
    // Writes too, the allowlist's own routes included; nothing written.
    const write = await s.post('/api/v2/projects', { key: 'p', name: 'P' }, { remoteAddress: OUTSIDE });
    expect(write.status).toBe(403);
    expect((await allowlist({ apiTokenAllowlistEnabled: false }, OUTSIDE)).status).toBe(403);
    expect((await s.get('/api/v2/projects/p', { remoteAddress: OFFICE })).status).toBe(404);
    // An invalid token is still a 401 wherever it comes from.
    expect((await s.get('/api/v2/projects', { token: 'api-00000000-0000-4000-8000-000000000000', remoteAddress: OUTSIDE })).status).toBe(401);
    const off = await allowlist({ apiTokenAllowlistEnabled: false });
    expect(off.body.apiTokenAllowlistEnabled).toBe(false);
    expect((await s.get('/api/v2/projects', { remoteAddress: OUTSIDE })).status).toBe(200);
  });

  it('the SDK routes are not affected', async () => {
    const w = await createWorld(s);
    const key = await sdkKeyOf(s, w.project);
    await s.post('/api/v2/account/ip-allowlist', { ipAddress: OFFICE }, { headers: BETA });
    expect((await allowlist({ apiTokenAllowlistEnabled: true })).status).toBe(200);
    expect((await s.get('/sdk/latest-all', { token: key, remoteAddress: OUTSIDE })).status).toBe(200);
    expect((await s.post('/bulk', [{ kind: 'custom', key: 'k', creationDate: 1 }], { token: key, remoteAddress: OUTSIDE })).status).toBe(202);
  });

  it('sessionAllowlistEnabled is kept and shown and enforces nothing; an empty or unchanged body changes nothing', async () => {
    const on = await allowlist({ sessionAllowlistEnabled: true });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ sessionAllowlistEnabled: true, apiTokenAllowlistEnabled: false, entries: [] });
    expect((await s.get('/api/v2/projects', { remoteAddress: OUTSIDE })).status).toBe(200);
    const audited = async () => (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('ip-allowlist/*')}`)).body.items.length;
    const before = await audited();
    expect((await allowlist({})).body).toEqual(on.body);
    expect((await allowlist({ sessionAllowlistEnabled: true })).body).toEqual(on.body);
    expect(await audited()).toBe(before);
  });
});
