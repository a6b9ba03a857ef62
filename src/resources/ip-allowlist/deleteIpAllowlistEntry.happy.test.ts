// deleteIpAllowlistEntry: 204 and gone; while enforced, an address only that entry let in is refused at once, and
// deleting the last entry that includes the caller's own address is a 409 (nobody locks themselves out).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { 'LD-API-Version': 'beta' };

describe('deleteIpAllowlistEntry', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await startServer();
  });
  afterEach(() => s.close());

  const add = async (ipAddress: string) => (await s.post('/api/v2/account/ip-allowlist', { ipAddress }, { headers: BETA })).body._id as string;

  it('deletes the entry: 204, gone from the list', async () => {
    const id = await add('192.0.2.1');
    const res = await s.del(`/api/v2/account/ip-allowlist/${id}`, { headers: BETA });
    expect(res.status).toBe(204);
    expect((await s.get('/api/v2/account/ip-allowlist', { headers: BETA })).body.entries).toEqual([]);
  });

  it('while enforced: the address it let in is refused at once; the entry that lets the caller in cannot go', async () => {
    const office = await add('203.0.113.0/24');
    const partner = await add('198.51.100.0/24');
    expect((await s.patch('/api/v2/account/ip-allowlist', { apiTokenAllowlistEnabled: true }, { headers: BETA, remoteAddress: '203.0.113.5' })).status).toBe(200);
    expect((await s.get('/api/v2/projects', { remoteAddress: '198.51.100.20' })).status).toBe(200);
    expect((await s.del(`/api/v2/account/ip-allowlist/${partner}`, { headers: BETA, remoteAddress: '203.0.113.5' })).status).toBe(204);
    expect((await s.get('/api/v2/projects', { remoteAddress: '198.51.100.20' })).status).toBe(403);
    await expectRefused(
      s.store,
      () => s.del(`/api/v2/account/ip-allowlist/${office}`, { headers: BETA, remoteAddress: '203.0.113.5' }),
      409,
      'conflict',
      `Deleting the IP allowlist entry "${office}" (203.0.113.0/24) while the allowlist is enabled for access tokens would lock out your own IP address 203.0.113.5: no entry of the allowlist would include it. Add an entry that includes it first`,
    );
    // With another entry that includes the caller, it can go.
    await s.post('/api/v2/account/ip-allowlist', { ipAddress: '203.0.113.5' }, { headers: BETA, remoteAddress: '203.0.113.5' });
    expect((await s.del(`/api/v2/account/ip-allowlist/${office}`, { headers: BETA, remoteAddress: '203.0.113.5' })).status).toBe(204);
    expect((await s.get('/api/v2/projects', { remoteAddress: '203.0.113.6' })).status).toBe(403);
    expect((await s.get('/api/v2/projects', { remoteAddress: '203.0.113.5' })).status).toBe(200);
  });
});
