// Resetting a Relay Proxy configuration's key: 200 with the new full key and displayKey, the rest unchanged; the
// reset audited without either key. (What the old key opens meanwhile: src/sdk/streamRelayAutoConfig.happy.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { hashToken } from '../tokens/tokens.js';

describe('resetRelayAutoConfig', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 11, 5);
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
  });
  afterAll(() => s.close());

  it('200 with a new key, shown this once; the old one kept until the expiry given, as a hash only', async () => {
    const made = (await s.post('/api/v2/account/relay-auto-configs', { name: 'rotated', policy: [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] }] })).body;
    clock += 5000;
    const expiry = clock + 86_400_000;
    const res = await s.post(`/api/v2/account/relay-auto-configs/${made._id}/reset?expiry=${expiry}`, undefined);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...made, fullKey: expect.stringMatching(/^rel-[0-9a-f-]{36}$/), displayKey: res.body.fullKey.slice(-4), lastModified: clock });
    expect(res.body.fullKey).not.toBe(made.fullKey);
    const { fullKey: _key, ...shown } = res.body;
    expect((await s.get(`/api/v2/account/relay-auto-configs/${made._id}`)).body).toEqual(shown);
    const row = await s.store.db.selectFrom('relay_auto_configs').selectAll().where('id', '=', made._id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ key_hash: hashToken(res.body.fullKey), old_key_hash: hashToken(made.fullKey), old_key_expires_at: expiry });
    expect(JSON.stringify(row)).not.toContain(made.fullKey);
    expect(JSON.stringify(row)).not.toContain(res.body.fullKey);

    const entry = (await s.get('/api/v2/auditlog?limit=1')).body.items[0];
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(full.accesses).toEqual([{ action: 'resetRelayAutoConfiguration', resource: `relay-proxy-config/${made._id}` }]);
    expect(JSON.stringify(full)).not.toContain(made.fullKey);
    expect(JSON.stringify(full)).not.toContain(res.body.fullKey);
  });

  it('without expiry (or one already past) the old key is forgotten at once', async () => {
    const made = (await s.post('/api/v2/account/relay-auto-configs', { name: 'at once', policy: [] })).body;
    for (const query of ['', `?expiry=${clock - 1}`]) {
      const res = await s.post(`/api/v2/account/relay-auto-configs/${made._id}/reset${query}`, undefined);
      expect(res.status).toBe(200);
      const row = await s.store.db.selectFrom('relay_auto_configs').selectAll().where('id', '=', made._id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ key_hash: hashToken(res.body.fullKey), old_key_hash: null, old_key_expires_at: null });
    }
  });
});
