// The IP allowlist: every error a caller can cause is a 4xx naming the field, and changes nothing; turning enforcement
// on from an address no entry includes is a 409 naming the address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const PATH = '/api/v2/account/ip-allowlist';

describe('IP allowlist: errors', () => {
  let s: TestServer;
  let id: string;
  beforeAll(async () => {
    s = await startServer();
    id = (await s.post(PATH, { ipAddress: '2001:db8::/32', description: 'Existing' }, BETA)).body._id;
  });
  afterAll(() => s.close());

  it('an address that is not an IPv4 or IPv6 address or CIDR block is a 400 naming ipAddress', async () => {
    for (const [ipAddress, reason] of [
      ['office', /ipAddress: "office" is not an IPv4 or IPv6 address or CIDR block/],
      ['256.1.1.1', /ipAddress: "256.1.1.1" is not an IPv4 or IPv6 address/],
      ['203.0.113.0/33', /ipAddress: "203.0.113.0\/33": the prefix length must be a whole number from 0 to 32/],
      ['2001:db8::/129', /ipAddress: "2001:db8::\/129": the prefix length must be a whole number from 0 to 128/],
      ['203.0.113.0/x', /the prefix length must be a whole number/],
      ['203.0.113.0/24/8', /one "\/" at most/],
      ['203.0.113.7/24', /ipAddress: "203.0.113.7\/24" has bits set past its \/24 prefix; the block is 203.0.113.0\/24/],
      ['2001:db8::1/32', /the block is 2001:db8::\/32/],
      ['fe80::1%eth0', /ipAddress: "fe80::1%eth0" is not an IPv4 or IPv6 address/],
      [' 203.0.113.1', /ipAddress/],
      ['', /ipAddress/],
    ] as const) {
      await expectRefused(s.store, () => s.post(PATH, { ipAddress }, BETA), 400, 'invalid_request', reason);
    }
  });

  it('a creation without ipAddress, with a non-string one or an unknown member is a 400 naming it', async () => {
    await expectRefused(s.store, () => s.post(PATH, { description: 'No address' }, BETA), 400, 'invalid_request', /ipAddress/);
    await expectRefused(s.store, () => s.post(PATH, { ipAddress: 3405803776 }, BETA), 400, 'invalid_request', /ipAddress/);
    await expectRefused(s.store, () => s.post(PATH, { ipAddress: '192.0.2.1', enabled: true }, BETA), 400, 'invalid_request', /enabled/);
  });

  it('a block already listed, in any spelling, is a 409', async () => {
    await expectRefused(s.store, () => s.post(PATH, { ipAddress: '2001:DB8:0::/32' }, BETA), 409, 'conflict', `ipAddress: "2001:DB8:0::/32" is already in the allowlist (entry "${id}", 2001:db8::/32)`);
  });

  it('a settings body with a non-boolean or unknown member is a 400 naming it', async () => {
    await expectRefused(s.store, () => s.patch(PATH, { apiTokenAllowlistEnabled: 'yes' }, BETA), 400, 'invalid_request', /apiTokenAllowlistEnabled/);
    await expectRefused(s.store, () => s.patch(PATH, { sessionAllowlistEnabled: 1 }, BETA), 400, 'invalid_request', /sessionAllowlistEnabled/);
    await expectRefused(s.store, () => s.patch(PATH, { entries: [] }, BETA), 400, 'invalid_request', /entries/);
  });

  it('turning enforcement on from an address no entry includes is a 409 naming the address', async () => {
    const message = 'apiTokenAllowlistEnabled: enabling the allowlist for access tokens would lock out your own IP address 127.0.0.1: no entry of the allowlist would include it. Add an entry that includes it first';
    await expectRefused(s.store, () => s.patch(PATH, { apiTokenAllowlistEnabled: true }, BETA), 409, 'conflict', message);
    await expectRefused(s.store, () => s.patch(PATH, { apiTokenAllowlistEnabled: true, sessionAllowlistEnabled: true }, { ...BETA, remoteAddress: '2001:db9::1' }), 409, 'conflict', /your own IP address 2001:db9::1/);
    // From inside it is allowed, and then the address outside is refused everything.
    expect((await s.patch(PATH, { apiTokenAllowlistEnabled: true }, { ...BETA, remoteAddress: '2001:db8::1' })).status).toBe(200);
    await expectRefused(s.store, () => s.get(PATH, BETA), 403, 'forbidden', /IP address 127.0.0.1/);
    expect((await s.patch(PATH, { apiTokenAllowlistEnabled: false }, { ...BETA, remoteAddress: '2001:db8::1' })).status).toBe(200);
  });

  it('an entry patch without a description, or changing anything else, is a 400 naming it', async () => {
    await expectRefused(s.store, () => s.patch(`${PATH}/${id}`, {}, BETA), 400, 'invalid_request', /description/);
    await expectRefused(s.store, () => s.patch(`${PATH}/${id}`, { description: 'X', ipAddress: '10.0.0.0/8' }, BETA), 400, 'invalid_request', /ipAddress/);
    await expectRefused(s.store, () => s.patch(`${PATH}/${id}`, { description: 7 }, BETA), 400, 'invalid_request', /description/);
  });

  it('an unknown entry is a 404 naming it', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const send of [() => s.patch(`${PATH}/${unknown}`, { description: 'X' }, BETA), () => s.del(`${PATH}/${unknown}`, BETA)]) {
      await expectRefused(s.store, send, 404, 'not_found', `IP allowlist entry "${unknown}" not found`);
    }
  });

  it('without LD-API-Version: beta every operation is a 403', async () => {
    for (const send of [() => s.get(PATH), () => s.patch(PATH, { sessionAllowlistEnabled: true }), () => s.post(PATH, { ipAddress: '192.0.2.1' }), () => s.patch(`${PATH}/${id}`, { description: 'X' }), () => s.del(`${PATH}/${id}`)]) {
      await expectRefused(s.store, send, 403, 'forbidden', /beta/);
    }
  });
});
