// GET /relay_auto_config refused or at its edges: no key, an empty one, a key no configuration has (or one reset
// away) get LaunchDarkly's 401 and no event stream; an odd rpacProtocolVersion is still answered with a put; a policy
// that names only other actions, or nothing, chooses no environment; a Relay Proxy that comes back after changes
// (even with the clock gone back) is sent versions above every one it was sent before, as ld-relay needs to take them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStream, openStreams, type OpenedStream, type SseEvent } from '../../test/support/streams.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const URL = '/api/v2/account/relay-auto-configs';
const ALL = [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] }];

describe('GET /relay_auto_config errors', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 11, 5);
  const opened: OpenedStream[] = [];
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock });
    for (const key of ['shop', 'shopfront']) {
      const made = await s.post('/api/v2/projects', {
        key,
        name: `${key} name`,
        environments: [
          { key: 'production', name: 'Production', color: '417505' },
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

  async function configWith(policy: unknown[], name = 'relay'): Promise<{ _id: string; fullKey: string }> {
    const res = await s.post(URL, { name, policy });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  }

  async function connect(headers: Record<string, string>, query = ''): Promise<OpenedStream> {
    const stream = await openStream(s.url, 'GET', `/relay_auto_config${query}`, { headers });
    opened.push(stream);
    return stream;
  }

  /** The put a stream starts with: 200, an event stream, a put of the whole configuration. */
  async function put(stream: OpenedStream): Promise<SseEvent> {
    expect(stream.status).toBe(200);
    expect(stream.isStream).toBe(true);
    const first = await stream.event(0);
    expect(first.event).toBe('put');
    expect(first.data.path).toBe('/');
    return first;
  }

  async function environmentId(project: string, env: string): Promise<string> {
    return (await s.get(`/api/v2/projects/${project}/environments/${env}`)).body._id;
  }

  /** Every version an event carries: each environment's in a put or patch, a delete's own. */
  function versionsOf(events: SseEvent[]): number[] {
    return events.flatMap((e) => {
      if (e.event === 'put') return Object.values<{ version: number }>(e.data.data.environments).map((env) => env.version);
      if (e.event === 'patch') return [e.data.data.version];
      if (e.event === 'delete') return [e.data.version];
      return [];
    });
  }

  async function expectRefused(headers: Record<string, string>): Promise<void> {
    const stream = await connect(headers);
    expect(stream.status, JSON.stringify(headers)).toBe(401);
    expect(stream.isStream).toBe(false);
    expect(String(stream.headers['content-type'])).toContain('application/json');
    expect(stream.body).toEqual({ code: 'unauthorized', message: expect.stringContaining('Relay Proxy configuration key') });
    expect(stream.events).toEqual([]);
  }

  it('401 without an Authorization header, with an empty one, or with a key no configuration has', async () => {
    await configWith(ALL);
    await expectRefused({});
    await expectRefused({ authorization: '' });
    await expectRefused({ authorization: '   ' });
    await expectRefused({ authorization: 'api_key ' });
    await expectRefused({ authorization: 'rel-00000000-0000-4000-8000-000000000000' });
    await expectRefused({ authorization: 'api_key rel-00000000-0000-4000-8000-000000000000' });
    await expectRefused({ authorization: 'rel-' });
    await expectRefused({ authorization: 'x'.repeat(4000) });
  });

  it("401 for a key reset with an expiry already past, and for a deleted configuration's key; none is served a stream", async () => {
    for (const expiry of [String(clock - 1), String(clock), '-5']) {
      const config = await configWith(ALL);
      const reset = await s.post(`${URL}/${config._id}/reset?expiry=${expiry}`, undefined);
      expect(reset.status).toBe(200);
      await expectRefused({ authorization: config.fullKey });
      await put(await connect({ authorization: reset.body.fullKey }));
    }
    const gone = await configWith(ALL);
    expect((await s.del(`${URL}/${gone._id}`)).status).toBe(204);
    await expectRefused({ authorization: gone.fullKey });
  });

  it('an odd rpacProtocolVersion is still answered with a put (filters only from version 2)', async () => {
    const config = await configWith(ALL);
    const plain = await put(await connect({ authorization: config.fullKey }));
    const ids = Object.keys(plain.data.data.environments).sort();
    expect(ids).toHaveLength(4);
    for (const [version, filters] of [
      ['abc', false],
      ['-1', false],
      ['0', false],
      ['', false],
      ['1.5', false],
      ['Infinity', false],
      ['1e400', false],
      ['2.5', true],
      ['99', true],
      ['99999999999999999999', true],
    ] as const) {
      const stream = await connect({ authorization: config.fullKey }, `?rpacProtocolVersion=${encodeURIComponent(version)}`);
      const first = await put(stream);
      expect(Object.keys(first.data.data.environments).sort(), version).toEqual(ids);
      if (filters) expect(first.data.data.filters, version).toEqual({});
      else expect(first.data.data, version).not.toHaveProperty('filters');
      stream.close();
    }
    // Given twice: still a put.
    const twice = await connect({ authorization: config.fullKey }, '?rpacProtocolVersion=2&rpacProtocolVersion=abc');
    expect(Object.keys((await put(twice)).data.data.environments).sort()).toEqual(ids);
  });

  it('a policy whose statements name only other actions, or other resources, chooses no environment', async () => {
    for (const policy of [
      [{ actions: ['updateOn'], effect: 'allow', resources: ['proj/*:env/*'] }],
      [{ actions: ['createFlag', 'updateOn', 'deleteEnvironment'], effect: 'allow', resources: ['proj/*:env/*'] }],
      [{ notActions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] }],
      [{ actions: ['*'], effect: 'allow', resources: ['proj/*:env/*:flag/*'] }],
      [{ actions: ['*'], effect: 'allow', resources: ['proj/nothing-here:env/*'] }],
      [{ actions: ['*'], effect: 'deny', resources: ['proj/*:env/*'] }],
      [
        { actions: ['*'], effect: 'allow', resources: ['proj/*:env/*'] },
        { actions: ['*'], effect: 'deny', notResources: ['proj/nothing-here:env/*'] },
      ],
    ]) {
      const config = await configWith(policy);
      const first = await put(await connect({ authorization: config.fullKey }));
      expect(first.data.data.environments, JSON.stringify(policy)).toEqual({});
    }
  });

  it('a configuration with an empty policy gets a put with no environments, and nothing when environments change', async () => {
    const empty = await configWith([], 'empty');
    const stream = await connect({ authorization: empty.fullKey });
    const first = await put(stream);
    expect(first.data).toEqual({ path: '/', data: { environments: {} } });

    // A stream that does choose environments sees the change; the empty one is sent nothing.
    const watcher = await configWith([{ actions: ['*'], effect: 'allow', resources: ['proj/shopfront:env/*'] }], 'watcher');
    const watching = await connect({ authorization: watcher.fullKey });
    await put(watching);
    const made = await s.post('/api/v2/projects/shopfront/environments', { key: 'empty-check', name: 'Empty check', color: '000000' });
    expect(made.status).toBe(201);
    expect((await watching.event(1)).data.path).toBe(`/environments/${made.body._id}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stream.events).toHaveLength(1);
    expect((await s.del('/api/v2/projects/shopfront/environments/empty-check')).status).toBe(204);
    expect((await watching.event(2)).event).toBe('delete');
  });

  it('a Relay Proxy that reconnects after changes gets a put with versions above every version it was sent before', async () => {
    const config = await configWith([{ actions: ['*'], effect: 'allow', resources: ['proj/shop:env/*'] }]);
    const production = await environmentId('shop', 'production');
    const seen: SseEvent[] = [];
    // The streams earlier tests opened are closed, so that "this one is gone" can be told by counting.
    for (const stream of opened.splice(0)) stream.close();
    await expect.poll(() => openStreams(s)).toBe(0);

    // First connection: a put, then an environment made, renamed and deleted, the policy narrowed.
    const first = await connect({ authorization: config.fullKey });
    await put(first);
    const qa = (await s.post('/api/v2/projects/shop/environments', { key: 'qa', name: 'QA', color: '000000' })).body;
    await first.event(1);
    expect((await s.patch('/api/v2/projects/shop/environments/qa', [{ op: 'replace', path: '/name', value: 'Quality' }])).status).toBe(200);
    await first.event(2);
    expect((await s.del('/api/v2/projects/shop/environments/qa')).status).toBe(204);
    expect((await first.event(3)).data).toEqual({ path: `/environments/${qa._id}`, version: expect.any(Number) });
    const narrowed = await s.patch(`${URL}/${config._id}`, { patch: [{ op: 'replace', path: '/policy', value: [{ actions: ['*'], effect: 'allow', resources: ['proj/shop:env/staging'] }] }], comment: 'narrow' });
    expect(narrowed.status).toBe(200);
    const dropped = await first.event(4);
    expect(dropped).toEqual({ event: 'delete', data: { path: `/environments/${production}`, version: expect.any(Number) } });
    seen.push(...first.events);
    first.close();
    await expect.poll(() => openStreams(s)).toBe(0);

    // While it is away: the policy widened again, a project renamed, and the clock gone back an hour.
    clock -= 3_600_000;
    expect((await s.patch(`${URL}/${config._id}`, { merge: { policy: [{ actions: ['*'], effect: 'allow', resources: ['proj/shop*:env/*'] }] } })).status).toBe(200);
    expect((await s.patch('/api/v2/projects/shopfront', [{ op: 'replace', path: '/name', value: 'Shopfront' }])).status).toBe(200);

    const second = await connect({ authorization: config.fullKey });
    const again = await put(second);
    const before = Math.max(...versionsOf(seen));
    const after = versionsOf([again]);
    expect(Object.keys(again.data.data.environments)).toContain(production);
    expect(Object.keys(again.data.data.environments)).not.toContain(qa._id);
    expect(after).toHaveLength(4);
    for (const version of after) expect(version).toBeGreaterThan(before);
    seen.push(again);

    // A third connection beside the second, after another change: above everything too, and the second is sent
    // the change above its put.
    expect((await s.patch('/api/v2/projects/shop/environments/staging', [{ op: 'replace', path: '/name', value: 'Stage' }])).status).toBe(200);
    const change = await second.event(1);
    expect(change).toMatchObject({ event: 'patch', data: { data: { envName: 'Stage' } } });
    expect(change.data.data.version).toBeGreaterThan(Math.max(...versionsOf(seen)));
    seen.push(change);
    const third = await connect({ authorization: config.fullKey });
    const thirdPut = await put(third);
    for (const version of versionsOf([thirdPut])) expect(version).toBeGreaterThan(Math.max(...versionsOf(seen)));
    clock += 3_600_000;
  });
});
