// Who may manage Relay Proxy configurations: every token reads them (no key is ever shown after it is made), admins
// write them, and custom roles allow each write by its action on `relay-proxy-config/<id>`
// (createRelayAutoConfiguration, updateRelayAutoConfigurationName, updateRelayAutoConfigurationPolicy,
// resetRelayAutoConfiguration, deleteRelayAutoConfiguration). A configuration's full key shows once, never in a GET
// nor the audit log; it is no access token, and no access token, SDK key or mobile key opens /relay_auto_config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy, expectAdminOnly, expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';
import { openStream } from '../../../test/support/streams.js';

const URL = '/api/v2/account/relay-auto-configs';
const POLICY = [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] }];
const OTHER_POLICY = [{ actions: ['*'], effect: 'allow', resources: ['proj/shop:env/production'] }];
const UNKNOWN_TOKEN = 'api-00000000-0000-4000-8000-000000000000';

describe('Relay Proxy configurations: security', () => {
  let s: TestServer;
  /** Every full key the server has shown, to look for in every answer and audit entry. */
  const keys: string[] = [];
  let roleCount = 0;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop', environments: [{ key: 'production', name: 'Production', color: '417505' }] })).status).toBe(201);
  });
  afterAll(() => s.close());

  async function make(name: string, policy: unknown[] = POLICY, token?: string): Promise<{ _id: string; fullKey: string; name: string }> {
    const res = await s.post(URL, { name, policy }, { token });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.fullKey).toMatch(/^rel-[0-9a-f-]{36}$/);
    keys.push(res.body.fullKey);
    return res.body;
  }

  /** A token whose only permissions are a custom role with `policy`. */
  async function customRoleToken(policy: unknown[]): Promise<string> {
    roleCount += 1;
    const role = await s.post('/api/v2/roles', { key: `relay-role-${roleCount}`, name: `Relay role ${roleCount}`, policy });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    const token = await s.post('/api/v2/tokens', { name: `relay token ${roleCount}`, customRoleIds: [role.body._id] });
    expect(token.status, JSON.stringify(token.body)).toBe(201);
    return token.body.token;
  }

  /** `send` is refused with 403 forbidden and changes nothing. */
  const forbidden = (send: () => Promise<Response>): Promise<Response> => expectRefused(s.store, send, 403, 'forbidden');

  async function read(id: string): Promise<Record<string, any>> {
    const res = await s.get(`${URL}/${id}`);
    expect(res.status).toBe(200);
    return res.body;
  }

  const rename = (name: string) => [{ op: 'replace', path: '/name', value: name }];

  it('readers and writers get 403 on create, update, delete and reset; without a valid token 401; nothing written', async () => {
    const config = await make('Admin only');
    const shown = await read(config._id);
    await expectAdminOnly(s, (token) => s.post(URL, { name: 'Mine', policy: POLICY }, { token }));
    await expectAdminOnly(s, (token) => s.patch(`${URL}/${config._id}`, rename('Mine'), { token }));
    await expectAdminOnly(s, (token) => s.patch(`${URL}/${config._id}`, { patch: [{ op: 'replace', path: '/policy', value: OTHER_POLICY }], comment: 'Terraform' }, { token }));
    await expectAdminOnly(s, (token) => s.patch(`${URL}/${config._id}`, { merge: { name: 'Mine' } }, { token }));
    await expectAdminOnly(s, (token) => s.del(`${URL}/${config._id}`, { token }));
    await expectAdminOnly(s, (token) => s.post(`${URL}/${config._id}/reset`, undefined, { token }));
    await expectAdminOnly(s, (token) => s.post(`${URL}/${config._id}/reset?expiry=${Date.now() + 60_000}`, undefined, { token }));
    expect(await read(config._id)).toEqual(shown);
  });

  it('every role reads them, without keys; no token or an unknown one gets 401', async () => {
    const config = await make('Readable');
    for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) {
      const list = await s.get(URL, { token });
      expect(list.status).toBe(200);
      expect(list.body.items.map((item: { _id: string }) => item._id)).toContain(config._id);
      const one = await s.get(`${URL}/${config._id}`, { token });
      expect(one.status).toBe(200);
      expect(one.body).toMatchObject({ _id: config._id, name: 'Readable', displayKey: config.fullKey.slice(-4) });
      expect(one.body).not.toHaveProperty('fullKey');
    }
    for (const token of [null, UNKNOWN_TOKEN]) {
      for (const path of [URL, `${URL}/${config._id}`]) {
        const res = await s.get(path, { token });
        expect(res.status, `${path} ${String(token)}`).toBe(401);
        expect(res.body.code).toBe('unauthorized');
      }
    }
  });

  it('an admin creates, updates, resets and deletes', async () => {
    const config = await make('By admin');
    const renamed = await s.patch(`${URL}/${config._id}`, rename('Renamed'), { token: s.tokens.admin });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('Renamed');
    const reset = await s.post(`${URL}/${config._id}/reset`, undefined, { token: s.tokens.admin });
    expect(reset.status).toBe(200);
    keys.push(reset.body.fullKey);
    expect((await s.del(`${URL}/${config._id}`, { token: s.tokens.admin })).status).toBe(204);
  });

  it('a custom role allowing createRelayAutoConfiguration on relay-proxy-config/* creates, but may not delete, reset nor update', async () => {
    const token = await customRoleToken([{ effect: 'allow', resources: ['relay-proxy-config/*'], actions: ['createRelayAutoConfiguration'] }]);
    const made = await make('By a custom role', POLICY, token);
    expect(made.name).toBe('By a custom role');
    const shown = await read(made._id);
    const list = await s.get(URL, { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((item: { _id: string }) => item._id)).toContain(made._id);
    await forbidden(() => s.del(`${URL}/${made._id}`, { token }));
    await forbidden(() => s.post(`${URL}/${made._id}/reset`, undefined, { token }));
    await forbidden(() => s.patch(`${URL}/${made._id}`, rename('Mine'), { token }));
    await forbidden(() => s.patch(`${URL}/${made._id}`, [{ op: 'replace', path: '/policy', value: OTHER_POLICY }], { token }));
    expect(await read(made._id)).toEqual(shown);
  });

  it('a custom role allowing createRelayAutoConfiguration on another resource, or denying it, may not create', async () => {
    for (const policy of [
      [{ effect: 'allow', resources: ['webhook/*'], actions: ['createRelayAutoConfiguration'] }],
      [{ effect: 'allow', resources: ['relay-proxy-config/*'], actions: ['deleteRelayAutoConfiguration'] }],
      [
        { effect: 'allow', resources: ['relay-proxy-config/*'], actions: ['*'] },
        { effect: 'deny', resources: ['relay-proxy-config/*'], actions: ['createRelayAutoConfiguration'] },
      ],
    ]) {
      const token = await customRoleToken(policy);
      await forbidden(() => s.post(URL, { name: 'Refused', policy: POLICY }, { token }));
    }
  });

  it('a custom role allowing updateRelayAutoConfigurationName on one configuration renames it, but neither changes its policy nor renames another', async () => {
    const mine = await make('Mine');
    const other = await make('Other');
    const token = await customRoleToken([{ effect: 'allow', resources: [`relay-proxy-config/${mine._id}`], actions: ['updateRelayAutoConfigurationName'] }]);

    const renamed = await s.patch(`${URL}/${mine._id}`, rename('Renamed'), { token });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(renamed.body).toMatchObject({ _id: mine._id, name: 'Renamed', policy: POLICY.map(({ effect, resources, actions }) => ({ effect, resources, actions })) });
    const withComment = await s.patch(`${URL}/${mine._id}`, { patch: rename('Renamed again'), comment: 'Terraform' }, { token });
    expect(withComment.status).toBe(200);
    const merged = await s.patch(`${URL}/${mine._id}`, { merge: { name: 'Merged' } }, { token });
    expect(merged.status).toBe(200);
    expect(merged.body.name).toBe('Merged');

    const mineNow = await read(mine._id);
    const otherNow = await read(other._id);
    for (const body of [
      [{ op: 'replace', path: '/policy', value: OTHER_POLICY }],
      [{ op: 'replace', path: '/policy/0/resources', value: ['proj/shop:env/production'] }],
      [{ op: 'add', path: '/policy/-', value: { effect: 'deny', resources: ['proj/*:env/*'], actions: ['*'] } }],
      { merge: { policy: OTHER_POLICY } },
      { patch: [{ op: 'replace', path: '/policy', value: OTHER_POLICY }], comment: 'Terraform' },
      // A rename that comes with a policy change is refused whole.
      [
        { op: 'replace', path: '/name', value: 'Sneaky' },
        { op: 'replace', path: '/policy', value: OTHER_POLICY },
      ],
      { merge: { name: 'Sneaky', policy: OTHER_POLICY } },
    ]) {
      const res = await forbidden(() => s.patch(`${URL}/${mine._id}`, body, { token }));
      expect(res.body.message, JSON.stringify(body)).toContain('updateRelayAutoConfigurationPolicy');
    }
    await forbidden(() => s.patch(`${URL}/${other._id}`, rename('Renamed by a stranger'), { token }));
    await forbidden(() => s.patch(`${URL}/${other._id}`, { merge: { name: 'Renamed by a stranger' } }, { token }));
    await forbidden(() => s.post(`${URL}/${mine._id}/reset`, undefined, { token }));
    await forbidden(() => s.del(`${URL}/${mine._id}`, { token }));
    await forbidden(() => s.post(URL, { name: 'New', policy: POLICY }, { token }));
    expect(await read(mine._id)).toEqual(mineNow);
    expect(await read(other._id)).toEqual(otherNow);
  });

  it('a custom role allowing updateRelayAutoConfigurationPolicy on one configuration changes its policy, but does not rename it', async () => {
    const mine = await make('Policy only');
    const other = await make('Policy other');
    const token = await customRoleToken([{ effect: 'allow', resources: [`relay-proxy-config/${mine._id}`], actions: ['updateRelayAutoConfigurationPolicy'] }]);
    const changed = await s.patch(`${URL}/${mine._id}`, { patch: [{ op: 'replace', path: '/policy', value: OTHER_POLICY }], comment: 'Terraform' }, { token });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body.policy).toEqual([{ effect: 'allow', resources: ['proj/shop:env/production'], actions: ['*'] }]);
    const res = await forbidden(() => s.patch(`${URL}/${mine._id}`, rename('Renamed'), { token }));
    expect(res.body.message).toContain('updateRelayAutoConfigurationName');
    await forbidden(() => s.patch(`${URL}/${other._id}`, [{ op: 'replace', path: '/policy', value: OTHER_POLICY }], { token }));
    expect((await read(mine._id)).name).toBe('Policy only');
    expect((await read(other._id)).policy).toEqual([{ effect: 'allow', resources: ['proj/*:env/*'], actions: ['*'] }]);
  });

  it('a custom role allowing resetRelayAutoConfiguration on one configuration resets its key, and nothing else', async () => {
    const mine = await make('Reset mine');
    const other = await make('Reset other');
    const token = await customRoleToken([{ effect: 'allow', resources: [`relay-proxy-config/${mine._id}`], actions: ['resetRelayAutoConfiguration'] }]);
    const reset = await s.post(`${URL}/${mine._id}/reset`, undefined, { token });
    expect(reset.status, JSON.stringify(reset.body)).toBe(200);
    expect(reset.body.fullKey).toMatch(/^rel-/);
    expect(reset.body.fullKey).not.toBe(mine.fullKey);
    keys.push(reset.body.fullKey);
    const withExpiry = await s.post(`${URL}/${mine._id}/reset?expiry=${Date.now() + 60_000}`, undefined, { token });
    expect(withExpiry.status).toBe(200);
    keys.push(withExpiry.body.fullKey);

    await forbidden(() => s.post(`${URL}/${other._id}/reset`, undefined, { token }));
    await forbidden(() => s.del(`${URL}/${mine._id}`, { token }));
    await forbidden(() => s.patch(`${URL}/${mine._id}`, rename('Renamed'), { token }));
    await forbidden(() => s.post(URL, { name: 'New', policy: POLICY }, { token }));
    // The other configuration's key still opens its stream: it was not reset.
    const stream = await openStream(s.url, 'GET', '/relay_auto_config', { headers: { authorization: other.fullKey } });
    try {
      expect(stream.status).toBe(200);
      expect((await stream.event(0)).event).toBe('put');
    } finally {
      stream.close();
    }
  });

  it('a custom role allowing deleteRelayAutoConfiguration on one configuration deletes it, and nothing else', async () => {
    const mine = await make('Delete mine');
    const other = await make('Delete other');
    const token = await customRoleToken([{ effect: 'allow', resources: [`relay-proxy-config/${mine._id}`], actions: ['deleteRelayAutoConfiguration'] }]);
    await forbidden(() => s.del(`${URL}/${other._id}`, { token }));
    await forbidden(() => s.post(`${URL}/${mine._id}/reset`, undefined, { token }));
    await forbidden(() => s.patch(`${URL}/${mine._id}`, rename('Renamed'), { token }));
    await forbidden(() => s.post(URL, { name: 'New', policy: POLICY }, { token }));
    expect((await s.del(`${URL}/${mine._id}`, { token })).status).toBe(204);
    expect((await s.get(`${URL}/${mine._id}`)).status).toBe(404);
    expect((await read(other._id)).name).toBe('Delete other');

    // A deny on the one configuration wins over an allow on every one.
    const third = await make('Delete protected');
    const denied = await customRoleToken([
      { effect: 'allow', resources: ['relay-proxy-config/*'], actions: ['deleteRelayAutoConfiguration'] },
      { effect: 'deny', resources: [`relay-proxy-config/${third._id}`], actions: ['deleteRelayAutoConfiguration'] },
    ]);
    await forbidden(() => s.del(`${URL}/${third._id}`, { token: denied }));
    expect((await s.del(`${URL}/${other._id}`, { token: denied })).status).toBe(204);
  });

  it('the full key is never in a GET answer, nor in the audit log (listed, or each entry by id)', async () => {
    // Every write at least once: create, rename, policy, reset (with and without expiry), delete.
    const config = await make('Audited');
    expect((await s.patch(`${URL}/${config._id}`, { patch: rename('Audited renamed'), comment: 'Terraform' })).status).toBe(200);
    expect((await s.patch(`${URL}/${config._id}`, { merge: { policy: OTHER_POLICY } })).status).toBe(200);
    for (const query of ['', `?expiry=${Date.now() + 60_000}`]) {
      const reset = await s.post(`${URL}/${config._id}/reset${query}`, undefined);
      expect(reset.status).toBe(200);
      keys.push(reset.body.fullKey);
    }
    const doomed = await make('Deleted');
    expect((await s.del(`${URL}/${doomed._id}`)).status).toBe(204);

    expect(keys.length).toBeGreaterThan(10);
    // The key itself, and its secret part without the prefix.
    const secrets = keys.flatMap((key) => [key, key.slice('rel-'.length)]);
    const leaks = (what: string, body: unknown) => {
      const text = JSON.stringify(body);
      for (const secret of secrets) expect(text.includes(secret), `${what} shows the key ${secret}`).toBe(false);
    };

    for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) {
      const list = await s.get(URL, { token });
      expect(list.status).toBe(200);
      leaks('the list', list.body);
      for (const item of list.body.items) {
        expect(item).not.toHaveProperty('fullKey');
        const one = await s.get(`${URL}/${item._id}`, { token });
        leaks(`GET ${item._id}`, one.body);
        expect(one.body).not.toHaveProperty('fullKey');
      }
    }
    const patched = await s.patch(`${URL}/${config._id}`, rename('Audited again'));
    expect(patched.body).not.toHaveProperty('fullKey');
    leaks('a patch answer', patched.body);

    const entries: { _id: string }[] = [];
    for (const query of ['?limit=20', '?spec=relay-proxy-config/*&limit=20', `?q=${encodeURIComponent('Relay Proxy')}&limit=20`]) {
      let next: string | undefined = `/api/v2/auditlog${query}`;
      while (next) {
        const page: Response = await s.get(next, { token: s.tokens.reader });
        expect(page.status).toBe(200);
        leaks(`GET ${next}`, page.body);
        entries.push(...page.body.items);
        next = page.body._links?.next?.href;
      }
    }
    const relayEntries = entries.filter((entry: any) => entry.kind === 'relay-proxy-config');
    expect(new Set(relayEntries.map((entry: any) => entry._id)).size).toBeGreaterThan(10);
    for (const entry of new Set(entries.map((e) => e._id))) {
      const full = await s.get(`/api/v2/auditlog/${entry}`, { token: s.tokens.reader });
      expect(full.status).toBe(200);
      leaks(`audit entry ${entry}`, full.body);
    }
  });

  it('a patch cannot test the key: the same 400 whether the value is the key or not, and nothing written', async () => {
    const config = await make('No oracle');
    const answers: unknown[] = [];
    for (const value of [config.fullKey, 'rel-00000000-0000-4000-8000-000000000000']) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.patch(`${URL}/${config._id}`, [{ op: 'test', path: '/fullKey', value }, { op: 'replace', path: '/name', value: 'Guessed' }])))).toBe(false);
      expect(res!.status).toBe(400);
      expect(JSON.stringify(res!.body)).not.toContain(config.fullKey.slice('rel-'.length));
      answers.push(res!.body);
    }
    expect(answers[0]).toEqual(answers[1]);
    expect((await read(config._id)).name).toBe('No oracle');
  });

  it("a configuration's key is no access token: the REST API answers 401", async () => {
    const config = await make('Not a token');
    for (const token of [config.fullKey, `api_key ${config.fullKey}`]) {
      for (const send of [() => s.get(URL, { token }), () => s.get(`${URL}/${config._id}`, { token }), () => s.get('/api/v2/projects', { token }), () => s.post(URL, { name: 'Via key', policy: POLICY }, { token })]) {
        let res: Response | undefined;
        expect(await changedBy(s.store, async () => (res = await send()))).toBe(false);
        expect(res!.status).toBe(401);
        expect(res!.body.code).toBe('unauthorized');
      }
    }
  });

  it('no access token, SDK key, mobile key or client-side ID opens /relay_auto_config: 401', async () => {
    await make('Exists');
    const env = (await s.get('/api/v2/projects/shop/environments/production')).body;
    const custom = await customRoleToken([{ effect: 'allow', resources: ['*'], actions: ['*'] }]);
    for (const key of [s.tokens.admin, s.tokens.writer, s.tokens.reader, custom, env.apiKey, env.mobileKey, env._id, `api_key ${env.apiKey}`]) {
      const res = await openStream(s.url, 'GET', '/relay_auto_config', { headers: { authorization: key } });
      res.close();
      expect(res.status, key).toBe(401);
      expect(res.isStream).toBe(false);
      expect(res.body).toEqual({ code: 'unauthorized', message: expect.stringContaining('Relay Proxy configuration key') });
    }
  });
});
