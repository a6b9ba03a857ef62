// createIpAllowlistEntry, driven as a generated client would (JSON bodies, the spec's field names, LD-API-Version:
// beta): 201 with the entry, IPv4 or IPv6, an address or a CIDR block; listed by getIpAllowlist in creation order; audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const NOW = 1_800_000_000_000;
let clock = NOW;

describe('createIpAllowlistEntry', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ now: () => clock++ });
  });
  afterAll(() => s.close());

  it('adds an IPv4 block: 201 with every field', async () => {
    const res = await s.post('/api/v2/account/ip-allowlist', { ipAddress: '203.0.113.0/24', description: 'Office network' }, BETA);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      ipAddress: '203.0.113.0/24',
      description: 'Office network',
      _createdByMemberId: s.deps.accountId,
      _createdAt: expect.any(Number),
      _updatedAt: expect.any(Number),
    });
    expect(res.body._createdAt).toBeGreaterThan(NOW);
    expect(res.body._updatedAt).toBe(res.body._createdAt);
    const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('ip-allowlist/*')}`)).body.items[0];
    expect(entry).toMatchObject({ kind: 'ip-allowlist', name: '203.0.113.0/24' });
  });

  it('single addresses and IPv6 blocks; no description is none', async () => {
    const entries = [];
    for (const ipAddress of ['198.51.100.7', '2001:db8::/32', '::1', '0.0.0.0/0']) {
      const res = await s.post('/api/v2/account/ip-allowlist', { ipAddress }, BETA);
      expect(res.status, ipAddress).toBe(201);
      expect(res.body).not.toHaveProperty('description');
      entries.push(res.body);
    }
    const list = (await s.get('/api/v2/account/ip-allowlist', BETA)).body;
    expect(list.entries.slice(1)).toEqual(entries);
  });
});
