// The Relay Proxy's automatic configuration stream, as ld-relay's autoconfig package reads it: a put of the
// environments a configuration's policy chooses (keys, names, TTL, secure mode, a version), then a patch for each
// environment made or changed and a delete for each taken away, every one at a version above the last; keys reset
// and configurations deleted cut their streams off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStream, openStreams, type OpenedStream } from '../../test/support/streams.js';
import { testDb } from '../../test/support/db.js';
import { sharedDatabase, startServer, type TestServer } from '../../test/support/server.js';

describe('GET /relay_auto_config', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 11, 5);
  const opened: OpenedStream[] = [];
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock });
    for (const [key, tags] of [['shop', ['bar']], ['shopfront', []], ['federal-shop', ['federal']]] as const) {
      const made = await s.post('/api/v2/projects', {
        key,
        name: `${key} name`,
        tags,
        environments: [
          { key: 'production', name: 'Production', color: '417505', defaultTtl: 5, secureMode: true },
          { key: 'staging', name: 'Staging', color: '417505' },
        ],
      });
      expect(made.status).toBe(201);
    }
  });
  afterAll(async () => {
    for (const stream of opened) stream.close();
    await s.close();
  });

  async function configWith(policy: unknown[]): Promise<{ _id: string; fullKey: string }> {
    const res = await s.post('/api/v2/account/relay-auto-configs', { name: 'relay', policy });
    expect(res.status).toBe(201);
    return res.body;
  }

  async function connect(key: string, query = ''): Promise<OpenedStream> {
    const stream = await openStream(s.url, 'GET', `/relay_auto_config${query}`, { headers: { authorization: key } });
    opened.push(stream);
    return stream;
  }

  async function environment(project: string, env: string): Promise<any> {
    return (await s.get(`/api/v2/projects/${project}/environments/${env}`)).body;
  }

  it('a put of every environment the policy chooses, with the fields ld-relay reads', async () => {
    const config = await configWith([
      { actions: ['*'], effect: 'allow', resources: ['proj/shop*:env/*', 'proj/federal-shop:env/*'] },
      { actions: ['*'], effect: 'deny', resources: ['proj/*:env/staging', 'proj/*;federal:env/*'] },
    ]);
    const stream = await connect(config.fullKey);
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const put = await stream.event(0);
    expect(put.event).toBe('put');
    expect(put.data.path).toBe('/');
    expect(put.data.data).not.toHaveProperty('filters');
    const envs = put.data.data.environments;
    const shop = await environment('shop', 'production');
    const front = await environment('shopfront', 'production');
    expect(Object.keys(envs).sort()).toEqual([shop._id, front._id].sort());
    expect(envs[shop._id]).toEqual({
      envID: shop._id,
      envKey: 'production',
      envName: 'Production',
      mobKey: shop.mobileKey,
      projKey: 'shop',
      projName: 'shop name',
      sdkKey: { value: shop.apiKey },
      defaultTtl: 5,
      secureMode: true,
      version: expect.any(Number),
    });
    expect(envs[front._id].version).toBe(envs[shop._id].version);
  });

  it('project tags choose, and deny wins over allow', async () => {
    const config = await configWith([
      { actions: ['*'], effect: 'allow', resources: ['proj/*;bar:env/*', 'proj/*;federal:env/*'] },
      { actions: ['*'], effect: 'deny', resources: ['proj/*;federal:env/*'] },
    ]);
    const put = await (await connect(config.fullKey)).event(0);
    const ids = [(await environment('shop', 'production'))._id, (await environment('shop', 'staging'))._id];
    expect(Object.keys(put.data.data.environments).sort()).toEqual(ids.sort());
  });

  it('rpacProtocolVersion=2: the put carries payload filters too (none)', async () => {
    const config = await configWith([{ actions: ['*'], effect: 'allow', resources: ['proj/shop:env/production'] }]);
    const put = await (await connect(config.fullKey, '?rpacProtocolVersion=2')).event(0);
    expect(put.data.data.filters).toEqual({});
    expect(Object.keys(put.data.data.environments)).toHaveLength(1);
  });

  it('an environment made, its SDK key reset with an expiry, and deleted: patch, patch, delete, versions rising', async () => {
    const config = await configWith([{ actions: ['*'], effect: 'allow', resources: ['proj/shop:env/*'] }]);
    const stream = await connect(config.fullKey);
    const put = await stream.event(0);
    const putVersion = Object.values<any>(put.data.data.environments)[0].version;

    const made = (await s.post('/api/v2/projects/shop/environments', { key: 'qa', name: 'QA', color: '000000' })).body;
    const added = await stream.event(1);
    expect(added).toEqual({ event: 'patch', data: { path: `/environments/${made._id}`, data: expect.objectContaining({ envID: made._id, envKey: 'qa', envName: 'QA', sdkKey: { value: made.apiKey } }) } });
    expect(added.data.data.version).toBeGreaterThan(putVersion);

    const expiry = clock + 3_600_000;
    const reset = (await s.post(`/api/v2/projects/shop/environments/qa/apiKey?expiry=${expiry}`, undefined)).body;
    const changed = await stream.event(2);
    expect(changed.event).toBe('patch');
    expect(changed.data.data.sdkKey).toEqual({ value: reset.apiKey, expiring: { value: made.apiKey, timestamp: expiry } });
    expect(changed.data.data.version).toBeGreaterThan(added.data.data.version);

    await s.patch('/api/v2/projects/shop/environments/qa', [{ op: 'replace', path: '/name', value: 'Quality' }]);
    const renamed = await stream.event(3);
    expect(renamed.data.data).toMatchObject({ envName: 'Quality', version: expect.any(Number) });
    expect(renamed.data.data.version).toBeGreaterThan(changed.data.data.version);

    expect((await s.del('/api/v2/projects/shop/environments/qa')).status).toBe(204);
    const deleted = await stream.event(4);
    expect(deleted).toEqual({ event: 'delete', data: { path: `/environments/${made._id}`, version: expect.any(Number) } });
    expect(deleted.data.version).toBeGreaterThan(renamed.data.data.version);
  });

  it("a project renamed: a patch for each of its environments; a change elsewhere sends nothing", async () => {
    const config = await configWith([{ actions: ['*'], effect: 'allow', resources: ['proj/shopfront:env/*'] }]);
    const stream = await connect(config.fullKey);
    await stream.event(0);
    await s.patch('/api/v2/projects/shop', [{ op: 'replace', path: '/name', value: 'elsewhere' }]);
    await s.patch('/api/v2/projects/shopfront', [{ op: 'replace', path: '/name', value: 'Shopfront' }]);
    const first = await stream.event(1);
    const second = await stream.event(2);
    expect([first.data.data.envKey, second.data.data.envKey].sort()).toEqual(['production', 'staging']);
    expect(first.data.data.projName).toBe('Shopfront');
    expect(stream.events.slice(1).every((e) => e.data.data.projKey === 'shopfront')).toBe(true);
  });

  it('the policy changed: deletes for the environments it drops, patches for those it adds, at higher versions', async () => {
    const config = await configWith([{ actions: ['*'], effect: 'allow', resources: ['proj/shopfront:env/production'] }]);
    const stream = await connect(config.fullKey);
    const put = await stream.event(0);
    const production = (await environment('shopfront', 'production'))._id;
    const staging = (await environment('shopfront', 'staging'))._id;
    expect(Object.keys(put.data.data.environments)).toEqual([production]);

    const patched = await s.patch(`/api/v2/account/relay-auto-configs/${config._id}`, {
      patch: [{ op: 'replace', path: '/policy', value: [{ actions: ['*'], effect: 'allow', resources: ['proj/shopfront:env/staging'] }] }],
      comment: 'Terraform',
    });
    expect(patched.status).toBe(200);
    await stream.event(2);
    const byKind = Object.fromEntries(stream.events.slice(1).map((e) => [e.event, e.data]));
    expect(byKind.patch).toMatchObject({ path: `/environments/${staging}`, data: { envID: staging } });
    expect(byKind.delete).toEqual({ path: `/environments/${production}`, version: expect.any(Number) });
    const oldVersion = put.data.data.environments[production].version;
    expect(byKind.delete.version).toBeGreaterThan(oldVersion);

    // Back again: above the delete's version, so that ld-relay (which keeps a tombstone) takes it.
    await s.patch(`/api/v2/account/relay-auto-configs/${config._id}`, { merge: { policy: [{ actions: ['*'], effect: 'allow', resources: ['proj/shopfront:env/*'] }] } });
    const back = await stream.event(3);
    expect(back).toMatchObject({ event: 'patch', data: { path: `/environments/${production}` } });
    expect(back.data.data.version).toBeGreaterThan(byKind.delete.version);
  });

  it('a key reset without expiry ends its streams and is refused after; with one, it works until then', async () => {
    const config = await configWith([{ actions: ['*'], effect: 'allow', resources: ['proj/shop:env/production'] }]);
    const first = await connect(config.fullKey);
    await first.event(0);
    const reset = (await s.post(`/api/v2/account/relay-auto-configs/${config._id}/reset`, undefined)).body;
    expect(reset.fullKey).toMatch(/^rel-/);
    expect(reset.fullKey).not.toBe(config.fullKey);
    expect(reset.displayKey).toBe(reset.fullKey.slice(-4));
    await first.ended;
    expect((await connect(config.fullKey)).status).toBe(401);
    const second = await connect(reset.fullKey);
    await second.event(0);

    const expiry = clock + 60_000;
    const again = (await s.post(`/api/v2/account/relay-auto-configs/${config._id}/reset?expiry=${expiry}`, undefined)).body;
    const withOld = await connect(reset.fullKey);
    expect(withOld.status).toBe(200);
    await withOld.event(0);
    expect((await connect(again.fullKey)).status).toBe(200);
    clock = expiry;
    expect((await connect(reset.fullKey)).status).toBe(401);
  });

  it('a configuration deleted ends its streams, and its key is refused; closed streams are forgotten', async () => {
    const config = await configWith([{ actions: ['*'], effect: 'allow', resources: ['proj/shop:env/production'] }]);
    const stream = await connect(config.fullKey);
    await stream.event(0);
    expect((await s.del(`/api/v2/account/relay-auto-configs/${config._id}`)).status).toBe(204);
    await stream.ended;
    const refused = await connect(config.fullKey);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual({ code: 'unauthorized', message: expect.stringContaining('Relay Proxy configuration key') });
    for (const open of opened) open.close();
    await expect.poll(() => openStreams(s)).toBe(0);
  });
});

describe('GET /relay_auto_config across a restart', () => {
  const instances = sharedDatabase(testDb);
  afterAll(() => instances.close());

  it('a Relay Proxy reconnecting to the restarted server gets versions above every one it was sent', async () => {
    // Several batches in one millisecond, then a restart a millisecond later: ld-relay would ignore a lower version.
    const frozen = Date.UTC(2026, 11, 5, 12);
    const first = await instances.start({ listen: true, now: () => frozen });
    const made = await first.post('/api/v2/projects', { key: 'restart', name: 'Restart', environments: [{ key: 'production', name: 'Production', color: '000000' }] });
    expect(made.status).toBe(201);
    const config = (await first.post('/api/v2/account/relay-auto-configs', { name: 'relay', policy: [{ actions: ['*'], effect: 'allow', resources: ['proj/restart:env/*'] }] })).body;
    const stream = await openStream(first.url, 'GET', '/relay_auto_config', { headers: { authorization: config.fullKey } });
    await stream.event(0);
    // Each change heard before the next: changes that come while a batch is read are sent together.
    for (const [i, name] of ['one', 'two', 'three'].entries()) {
      await first.patch('/api/v2/projects/restart/environments/production', [{ op: 'replace', path: '/name', value: name }]);
      expect((await stream.event(i + 1)).data.data.envName).toBe(name);
    }
    const seen = Math.max(...stream.events.map((e) => (e.event === 'put' ? Object.values<any>(e.data.data.environments)[0].version : e.data.data.version)));
    stream.close();
    await first.close();

    const second = await instances.start({ listen: true, now: () => frozen + 1 });
    const again = await openStream(second.url, 'GET', '/relay_auto_config', { headers: { authorization: config.fullKey } });
    const put = await again.event(0);
    again.close();
    expect(Object.values<any>(put.data.data.environments)[0]).toMatchObject({ envName: 'three' });
    expect(Object.values<any>(put.data.data.environments)[0].version).toBeGreaterThan(seen);
  });
});
