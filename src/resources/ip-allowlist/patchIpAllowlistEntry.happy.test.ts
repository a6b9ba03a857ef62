// patchIpAllowlistEntry: the description changes (and _updatedAt), the address does not; an unchanged one records nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('patchIpAllowlistEntry', () => {
  let s: TestServer;
  let clock = 1_800_000_000_000;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
  });
  afterAll(() => s.close());

  it('changes the description', async () => {
    const made = (await s.post('/api/v2/account/ip-allowlist', { ipAddress: '192.0.2.0/24', description: 'Old' }, BETA)).body;
    clock += 1000;
    const res = await s.patch(`/api/v2/account/ip-allowlist/${made._id}`, { description: 'Updated description' }, BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...made, description: 'Updated description', _updatedAt: clock });
    expect((await s.get('/api/v2/account/ip-allowlist', BETA)).body.entries).toEqual([res.body]);
    const entries = async () => (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('ip-allowlist/*')}`)).body.items.length;
    const before = await entries();
    expect((await s.patch(`/api/v2/account/ip-allowlist/${made._id}`, { description: 'Updated description' }, BETA)).body).toEqual(res.body);
    expect(await entries()).toBe(before);
  });
});
