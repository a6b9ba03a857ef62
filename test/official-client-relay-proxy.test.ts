// The official REST client (launchdarkly-api-typescript) manages Relay Proxy configurations over real HTTP, unchanged,
// as Terraform's launchdarkly_relay_proxy_configuration does: RelayProxyConfigurationsApi.postRelayAutoConfig,
// getRelayProxyConfigs, getRelayProxyConfig, patchRelayAutoConfig with PatchWithComment (replace /name and /policy,
// comment "Terraform"), resetRelayAutoConfig with and without an expiry, deleteRelayAutoConfig. Every field of
// RelayAutoConfigRep comes back deserialized, the full key only when it is made; an unknown id is a 404 error.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, RelayProxyConfigurationsApi, type RelayAutoConfigRep, type Statement } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { startServer, type TestServer } from './support/server.js';
import { openStream } from './support/streams.js';

const POLICY: Statement[] = [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] }];
const UNKNOWN_ID = '0123456789abcdef01234567';

describe('Relay Proxy configurations through launchdarkly-api-typescript (RelayProxyConfigurationsApi)', () => {
  let s: TestServer;
  let relay: RelayProxyConfigurationsApi;
  let me: { _id: string; email: string; role: string; firstName?: string; lastName?: string };
  beforeAll(async () => {
    s = await startServer({ listen: true });
    relay = new RelayProxyConfigurationsApi(new Configuration({ apiKey: s.tokens.admin, basePath: s.url }));
    me = (await s.get('/api/v2/members/me')).body;
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop', environments: [{ key: 'production', name: 'Production', color: '417505' }] })).status).toBe(201);
  });
  afterAll(() => s.close());

  /** The member summary the client deserializes as `_creator`. */
  function creator(): unknown {
    return {
      _links: { self: { href: `/api/v2/members/${me._id}`, type: 'application/json' } },
      _id: me._id,
      firstName: me.firstName,
      lastName: me.lastName,
      role: me.role,
      email: me.email,
    };
  }

  /** The configuration as a GET shows it: without its key. */
  function withoutKey(rep: RelayAutoConfigRep): Omit<RelayAutoConfigRep, 'fullKey'> {
    const { fullKey: _key, ...shown } = rep;
    return shown;
  }

  it('create, list, read, update as Terraform does, reset with and without an expiry, delete', async () => {
    const created = await relay.postRelayAutoConfig({ name: 'Terraform relay', policy: POLICY });
    expect(created.status).toBe(201);
    const config = created.data;
    expect(config).toEqual({
      _id: expect.stringMatching(/^[0-9a-f]{24}$/),
      _creator: creator(),
      name: 'Terraform relay',
      policy: [{ effect: 'allow', resources: ['proj/*:env/*'], actions: ['*'] }],
      fullKey: expect.stringMatching(/^rel-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      displayKey: config.fullKey.slice(-4),
      creationDate: expect.any(Number),
      lastModified: config.creationDate,
    });
    expect(config.displayKey).toHaveLength(4);

    const list = await relay.getRelayProxyConfigs();
    expect(list.status).toBe(200);
    expect(list.data).toEqual({ items: [withoutKey(config)] });
    expect(list.data.items[0]).not.toHaveProperty('fullKey');

    const read = await relay.getRelayProxyConfig(config._id);
    expect(read.status).toBe(200);
    expect(read.data).toEqual(withoutKey(config));

    // Terraform's update: every field it manages replaced, commented "Terraform".
    const policy: Statement[] = [
      { actions: ['*'], effect: 'allow', resources: ['proj/shop:env/*'] },
      { actions: ['*'], effect: 'deny', resources: ['proj/shop:env/staging'] },
    ];
    const updated = await relay.patchRelayAutoConfig(config._id, {
      patch: [
        { op: 'replace', path: '/name', value: 'Terraform relay (renamed)' },
        { op: 'replace', path: '/policy', value: policy },
      ],
      comment: 'Terraform',
    });
    expect(updated.status).toBe(200);
    expect(updated.data).toEqual({
      ...withoutKey(config),
      name: 'Terraform relay (renamed)',
      policy: [
        { effect: 'allow', resources: ['proj/shop:env/*'], actions: ['*'] },
        { effect: 'deny', resources: ['proj/shop:env/staging'], actions: ['*'] },
      ],
      lastModified: expect.any(Number),
    });
    expect(updated.data.lastModified).toBeGreaterThanOrEqual(config.creationDate);
    expect((await relay.getRelayProxyConfig(config._id)).data).toEqual(updated.data);
    // Terraform applies the same plan again: nothing changes.
    const again = await relay.patchRelayAutoConfig(config._id, {
      patch: [
        { op: 'replace', path: '/name', value: 'Terraform relay (renamed)' },
        { op: 'replace', path: '/policy', value: policy },
      ],
      comment: 'Terraform',
    });
    expect(again.data).toEqual(updated.data);
    const audit = (await s.get('/api/v2/auditlog?spec=relay-proxy-config/*')).body.items;
    expect(audit.filter((entry: { comment?: string }) => entry.comment === 'Terraform')).toHaveLength(1);

    // The spec's example: one statement replaced.
    const example = await relay.patchRelayAutoConfig(config._id, { patch: [{ op: 'replace', path: '/policy/0', value: { actions: ['*'], effect: 'allow', resources: ['proj/*:env/qa'] } }] });
    expect(example.data.policy[0]).toEqual({ effect: 'allow', resources: ['proj/*:env/qa'], actions: ['*'] });

    // Reset without an expiry: a new key, shown this once; the old one stops at once.
    const reset = await relay.resetRelayAutoConfig(config._id);
    expect(reset.status).toBe(200);
    expect(reset.data).toEqual({ ...example.data, fullKey: expect.stringMatching(/^rel-/), displayKey: expect.any(String), lastModified: expect.any(Number) });
    expect(reset.data.fullKey).not.toBe(config.fullKey);
    expect(reset.data.displayKey).toBe(reset.data.fullKey.slice(-4));
    expect((await relay.getRelayProxyConfig(config._id)).data).toEqual(withoutKey(reset.data));
    expect((await streamStatus(config.fullKey))).toBe(401);
    expect((await streamStatus(reset.data.fullKey))).toBe(200);

    // Reset with an expiry: the key before it keeps working until then.
    const expiry = Date.now() + 3_600_000;
    const expiring = await relay.resetRelayAutoConfig(config._id, expiry);
    expect(expiring.status).toBe(200);
    expect(expiring.data).toMatchObject({ _id: config._id, name: 'Terraform relay (renamed)', fullKey: expect.stringMatching(/^rel-/) });
    expect(expiring.data.fullKey).not.toBe(reset.data.fullKey);
    expect(expiring.data.displayKey).toBe(expiring.data.fullKey.slice(-4));
    expect((await streamStatus(reset.data.fullKey))).toBe(200);
    expect((await streamStatus(expiring.data.fullKey))).toBe(200);
    expect((await relay.getRelayProxyConfigs()).data.items).toEqual([withoutKey(expiring.data)]);

    const deleted = await relay.deleteRelayAutoConfig(config._id);
    expect(deleted.status).toBe(204);
    expect(deleted.data).toBeFalsy();
    expect((await relay.getRelayProxyConfigs()).data).toEqual({ items: [] });
    expect((await streamStatus(expiring.data.fullKey))).toBe(401);
  });

  it('several configurations, listed oldest first; an empty policy is kept as []', async () => {
    const first = (await relay.postRelayAutoConfig({ name: 'First', policy: POLICY })).data;
    const second = (await relay.postRelayAutoConfig({ name: 'Second', policy: [] })).data;
    expect(second.policy).toEqual([]);
    const third = (await relay.postRelayAutoConfig({ name: 'Third', policy: [{ effect: 'deny', notResources: ['proj/shop:env/production'], actions: ['*'] }] })).data;
    expect(third.policy).toEqual([{ effect: 'deny', notResources: ['proj/shop:env/production'], actions: ['*'] }]);
    const list = (await relay.getRelayProxyConfigs()).data.items;
    expect(list).toEqual([first, second, third].map(withoutKey));
    for (const config of [first, second, third]) expect((await relay.deleteRelayAutoConfig(config._id)).status).toBe(204);
  });

  it("LaunchDarkly's error bodies: an unknown id is a 404 on every operation; an invalid policy a 400", async () => {
    const body = { code: 'not_found', message: `Relay Proxy configuration "${UNKNOWN_ID}" not found` };
    // Each call made when its turn comes: a call made ahead would fail before anything awaits it (an unhandled rejection).
    for (const call of [
      () => relay.getRelayProxyConfig(UNKNOWN_ID),
      () => relay.patchRelayAutoConfig(UNKNOWN_ID, { patch: [{ op: 'replace', path: '/name', value: 'x' }], comment: 'Terraform' }),
      () => relay.resetRelayAutoConfig(UNKNOWN_ID),
      () => relay.resetRelayAutoConfig(UNKNOWN_ID, Date.now() + 60_000),
      () => relay.deleteRelayAutoConfig(UNKNOWN_ID),
    ]) {
      expect(await clientFailure(call())).toEqual({ status: 404, data: body });
    }
    const bad = await clientFailure(relay.postRelayAutoConfig({ name: 'Bad', policy: [{ effect: 'allow', actions: ['*'] }] }));
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('policy[0].resources') });
    const config = (await relay.postRelayAutoConfig({ name: 'Kept', policy: POLICY })).data;
    const readOnly = await clientFailure(relay.patchRelayAutoConfig(config._id, { patch: [{ op: 'replace', path: '/displayKey', value: 'abcd' }], comment: 'Terraform' }));
    expect(readOnly).toEqual({
      status: 400,
      data: { code: 'invalid_request', message: '/displayKey: is read-only and cannot be changed', errors: [{ attribute: '/displayKey', reason: 'is read-only and cannot be changed' }] },
    });
    const badExpiry = await clientFailure(relay.resetRelayAutoConfig(config._id, Number.NaN));
    expect(badExpiry.status).toBe(400);
    expect(badExpiry.data.message).toContain('expiry');
    expect((await relay.getRelayProxyConfig(config._id)).data).toEqual(withoutKey(config));
    // A token without the right: 403.
    const reader = new RelayProxyConfigurationsApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    const forbidden = await clientFailure(reader.postRelayAutoConfig({ name: 'Reader', policy: POLICY }));
    expect(forbidden.status).toBe(403);
    expect(forbidden.data.code).toBe('forbidden');
    expect((await reader.getRelayProxyConfigs()).status).toBe(200);
  });

  /** The status /relay_auto_config answers `key` with (the stream closed at once). */
  async function streamStatus(key: string): Promise<number> {
    const stream = await openStream(s.url, 'GET', '/relay_auto_config', { headers: { authorization: key } });
    try {
      if (stream.status === 200) expect((await stream.event(0)).event).toBe('put');
      return stream.status;
    } finally {
      stream.close();
    }
  }
});
