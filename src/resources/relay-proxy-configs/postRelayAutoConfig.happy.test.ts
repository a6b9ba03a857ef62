// Creating Relay Proxy configurations: 201 with the key shown once (rel-<uuid>), its last four characters kept as
// displayKey, the policy normalized, the creator named; listed and read back without the key; audited without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const POLICY = [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] }];

describe('postRelayAutoConfig', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it("201 with the spec's fields: the full key this once, its last four as displayKey, the creator", async () => {
    const res = await s.post('/api/v2/account/relay-auto-configs', { name: 'Sample Relay Proxy config for all proj and env', policy: POLICY });
    expect(res.status).toBe(201);
    const me = (await s.get('/api/v2/members/me')).body;
    expect(res.body).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _creator: { _links: { self: { href: `/api/v2/members/${me._id}`, type: 'application/json' } }, _id: me._id, firstName: me.firstName, lastName: me.lastName, role: me.role, email: me.email },
      name: 'Sample Relay Proxy config for all proj and env',
      policy: [{ effect: 'allow', resources: ['proj/*:env/*'], actions: ['*'] }],
      fullKey: expect.stringMatching(/^rel-[0-9a-f-]{36}$/),
      displayKey: res.body.fullKey.slice(-4),
      creationDate: expect.any(Number),
      lastModified: res.body.creationDate,
    });
    const { fullKey: _key, ...shown } = res.body;
    expect((await s.get(`/api/v2/account/relay-auto-configs/${res.body._id}`)).body).toEqual(shown);
  });

  it('each configuration has a key of its own; statements are stored as given, trimmed, with only their members', async () => {
    const a = (await s.post('/api/v2/account/relay-auto-configs', { name: 'a', policy: [{ effect: 'deny', notResources: [' proj/shop:env/production '], notActions: [] , actions: ['*'] }] })).body;
    const b = (await s.post('/api/v2/account/relay-auto-configs', { name: 'b', policy: [] })).body;
    expect(a.fullKey).not.toBe(b.fullKey);
    expect(a.policy).toEqual([{ effect: 'deny', notResources: ['proj/shop:env/production'], actions: ['*'] }]);
    expect(b.policy).toEqual([]);
  });

  it('listed oldest first, without keys; the creation is in the audit log, without the key', async () => {
    const made = (await s.post('/api/v2/account/relay-auto-configs', { name: 'listed', policy: POLICY })).body;
    const list = await s.get('/api/v2/account/relay-auto-configs');
    expect(list.status).toBe(200);
    expect(list.body.items.at(-1)).toEqual({ ...made, fullKey: undefined });
    expect(list.body.items.map((item: { _id: string }) => item._id)).toEqual([...list.body.items.map((item: { _id: string }) => item._id)].sort());
    expect(JSON.stringify(list.body)).not.toContain(made.fullKey);
    const audit = (await s.get('/api/v2/auditlog?spec=relay-proxy-config/*')).body.items;
    const entry = audit.find((item: { target?: { resources?: string[] } }) => item.target?.resources?.includes(`relay-proxy-config/${made._id}`));
    expect(entry).toMatchObject({ kind: 'relay-proxy-config', name: 'listed', title: expect.stringContaining('created the Relay Proxy configuration listed') });
    const full = (await s.get(`/api/v2/auditlog/${entry._id}`)).body;
    expect(JSON.stringify(full)).not.toContain(made.fullKey);
    expect(full.currentVersion).toMatchObject({ _id: made._id, name: 'listed', displayKey: made.displayKey });
  });
});
