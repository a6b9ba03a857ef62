// Two instances on one PostgreSQL database: the allowlist enabled, and an entry deleted, through A are enforced by B
// at once (B's cached allowlist is dropped by the change bus), though B had answered from its cache just before.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { testDb } from '../../../test/support/db.js';
import { sharedDatabase } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe.skipIf(testDb !== 'postgres')('the IP allowlist across instances (PostgreSQL)', () => {
  const instances = sharedDatabase();
  afterEach(() => instances.close());

  it('a change through A is enforced by B', async () => {
    const a = await instances.start();
    const b = await instances.start();
    // B reads (and caches) the allowlist: off.
    expect((await b.get('/api/v2/projects', { remoteAddress: '198.51.100.1' })).status).toBe(200);
    await a.post('/api/v2/account/ip-allowlist', { ipAddress: '203.0.113.0/24' }, BETA);
    const partner = (await a.post('/api/v2/account/ip-allowlist', { ipAddress: '198.51.100.0/24' }, BETA)).body._id;
    expect((await a.patch('/api/v2/account/ip-allowlist', { apiTokenAllowlistEnabled: true }, { ...BETA, remoteAddress: '203.0.113.1' })).status).toBe(200);
    await vi.waitFor(async () => expect((await b.get('/api/v2/projects', { remoteAddress: '192.0.2.1' })).status).toBe(403));
    expect((await b.get('/api/v2/projects', { remoteAddress: '198.51.100.1' })).status).toBe(200);
    expect((await a.del(`/api/v2/account/ip-allowlist/${partner}`, { ...BETA, remoteAddress: '203.0.113.1' })).status).toBe(204);
    await vi.waitFor(async () => expect((await b.get('/api/v2/projects', { remoteAddress: '198.51.100.1' })).status).toBe(403));
    expect((await b.get('/api/v2/projects', { remoteAddress: '203.0.113.1' })).status).toBe(200);
  });
});
