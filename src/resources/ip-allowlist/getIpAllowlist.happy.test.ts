// getIpAllowlist: before any change nothing is enabled and there are no entries; then the settings and entries as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('getIpAllowlist', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('is empty and off at first; then shows what was written, entries oldest first', async () => {
    expect((await s.get('/api/v2/account/ip-allowlist', BETA)).body).toEqual({ sessionAllowlistEnabled: false, apiTokenAllowlistEnabled: false, entries: [] });
    const a = (await s.post('/api/v2/account/ip-allowlist', { ipAddress: '127.0.0.1', description: 'This machine' }, BETA)).body;
    const b = (await s.post('/api/v2/account/ip-allowlist', { ipAddress: '10.0.0.0/8' }, BETA)).body;
    expect((await s.patch('/api/v2/account/ip-allowlist', { sessionAllowlistEnabled: true }, BETA)).status).toBe(200);
    const res = await s.get('/api/v2/account/ip-allowlist', BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sessionAllowlistEnabled: true, apiTokenAllowlistEnabled: false, entries: [a, b] });
  });
});
