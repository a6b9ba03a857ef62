// getContextKindsByProjectKey: `user` from the start; kinds the SDKs send contexts of are added (`auto-add`) and
// carry `lastSeen`, when a context of the kind was last seen in their events.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const NOW = 1_800_000_000_000;

describe('getContextKindsByProjectKey', () => {
  let s: TestServer;
  let clock = NOW;
  let sdkKey: string;
  const kinds = async () => (await s.get('/api/v2/projects/shop/context-kinds')).body.items as { key: string; createdFrom: string; lastSeen?: number }[];
  const send = (events: unknown[]) => s.request('POST', '/bulk', { body: events, token: sdkKey });

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    sdkKey = await sdkKeyOf(s, 'shop');
  });
  afterAll(() => s.close());

  it('a new project has user, never seen', async () => {
    const [user] = await kinds();
    expect(user).toMatchObject({ key: 'user', name: 'User', createdFrom: 'default', version: 1 });
    expect(user).not.toHaveProperty('lastSeen');
  });

  it("the kinds of the SDKs' contexts (anonymous ones too) are added and seen; lastSeen moves forward, a minute at a time", async () => {
    expect((await send([
      { kind: 'index', creationDate: NOW - 5_000, context: { kind: 'multi', user: { key: 'u' }, org: { key: 'acme' }, device: { key: 'd', anonymous: true } } },
      { kind: 'index', creationDate: NOW - 1_000, context: { key: 'old-style user' } },
      { kind: 'custom', key: 'checkout', creationDate: NOW - 500, contextKeys: { team: 't' } },
    ])).status).toBe(202);
    const seen = Object.fromEntries((await kinds()).map((k) => [k.key, [k.createdFrom, k.lastSeen]]));
    expect(seen).toEqual({ user: ['default', NOW - 1_000], device: ['auto-add', NOW - 5_000], org: ['auto-add', NOW - 5_000] });
    const org = (await kinds()).find((k) => k.key === 'org');
    expect(org).toMatchObject({ name: 'Org', description: '', archived: false, hideInTargeting: false, _links: { self: { href: '/api/v2/projects/shop/context-kinds/org' } } });

    // Within a minute of lastSeen nothing is written; later it moves; an older event does not move it back.
    await send([{ kind: 'index', creationDate: NOW - 500, context: { kind: 'org', key: 'acme' } }]);
    expect((await kinds()).find((k) => k.key === 'org')!.lastSeen).toBe(NOW - 5_000);
    clock = NOW + 120_000;
    await send([{ kind: 'index', creationDate: NOW + 100_000, context: { kind: 'org', key: 'acme' } }]);
    expect((await kinds()).find((k) => k.key === 'org')!.lastSeen).toBe(NOW + 100_000);
    await send([{ kind: 'index', creationDate: NOW, context: { kind: 'org', key: 'beta' } }]);
    expect((await kinds()).find((k) => k.key === 'org')!.lastSeen).toBe(NOW + 100_000);
  });

  it('a kind changed by hand keeps what was set; the SDKs only add and see', async () => {
    expect((await s.put('/api/v2/projects/shop/context-kinds/org', { name: 'Organization', description: 'Companies' })).status).toBe(200);
    clock = NOW + 200_000;
    await send([{ kind: 'index', creationDate: clock, context: { kind: 'org', key: 'acme' } }]);
    expect((await kinds()).find((k) => k.key === 'org')).toMatchObject({ name: 'Organization', description: 'Companies', createdFrom: 'auto-add', lastSeen: clock });
  });

  it('a payload adds at most 20 kinds, and none whose key the REST API would refuse', async () => {
    const before = (await kinds()).length;
    const events = [{ kind: 'index', creationDate: clock, context: { kind: '_hidden', key: 'x' } }, ...Array.from({ length: 25 }, (_, i) => ({ kind: 'index', creationDate: clock, context: { kind: `k${String(i).padStart(2, '0')}`, key: 'x' } }))];
    expect((await send(events)).status).toBe(202);
    const after = (await kinds()).map((k) => k.key);
    expect(after).toHaveLength(before + 20);
    expect(after).not.toContain('_hidden');
    expect(after).toContain('k19');
    expect(after).not.toContain('k20');
    // The next payload adds the rest.
    await send(events);
    expect((await kinds()).map((k) => k.key)).toContain('k24');
  });
});
