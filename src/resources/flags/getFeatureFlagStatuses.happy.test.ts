import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShop, DAY, iso, START, statusLinks as links } from '../../../test/support/flagStatuses.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlagStatuses: happy path', () => {
  let s: TestServer;
  let clock = START;
  let client: LDClient | undefined;
  let production: string;
  let staging: string;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock });
    await createShop(s);
    await s.post('/api/v2/projects', { name: 'Empty', key: 'empty' });
    production = await sdkKeyOf(s, 'shop');
    staging = await sdkKeyOf(s, 'shop', 'staging');
    // Created a day apart, in this order; `launched` is on from the start.
    for (const key of ['launched', 'unused', 'split', 'archived']) {
      expect((await s.post('/api/v2/flags/shop', { name: key, key, isFlagOn: key === 'launched' })).status).toBe(201);
      clock += DAY;
    }
    const rollout = { rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }] } };
    expect((await s.patch('/api/v2/flags/shop/split', [{ op: 'replace', path: '/environments/production/on', value: true }, { op: 'replace', path: '/environments/production/fallthrough', value: rollout }])).status).toBe(200);
    expect((await s.patch('/api/v2/flags/shop/archived', [{ op: 'replace', path: '/archived', value: true }])).status).toBe(200);
  });
  afterAll(async () => {
    client?.close();
    await s.close();
  });

  it('lists every flag oldest first, each with its status and links, and links the list itself', async () => {
    const res = await s.get('/api/v2/flag-statuses/shop/production');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      _links: { self: { href: '/api/v2/flag-statuses/shop/production', type: 'application/json' } },
      items: ['launched', 'unused', 'split', 'archived'].map((flag) => ({ name: 'new', _links: links(flag) })),
    });
  });

  it("what the official SDK evaluates in one environment, there: statuses by each flag's targeting", async () => {
    // Eight days after the last change (split's rollout, archiving).
    clock = START + 12 * DAY;
    client = sdkClient(s.url, production, { sendEvents: true, flushInterval: 3600 });
    await client.waitForInitialization({ timeout: 10 });
    const context = { kind: 'user', key: 'ann' };
    expect(await client.variation('launched', context, false)).toBe(true);
    await client.variation('split', context, false);
    await client.variation('archived', context, 'archived-default');
    await client.variation('no-such-flag', context, 'x');
    await client.flush();
    // Staging's SDKs evaluated `unused` long ago.
    expect((await s.post('/bulk', [{ kind: 'summary', startDate: START, endDate: START + DAY, features: { unused: { default: true, counters: [{ value: false, count: 1, variation: 1, version: 1 }] } } }], { token: staging })).status).toBe(202);

    const res = await s.get('/api/v2/flag-statuses/shop/production');
    expect(res.status).toBe(200);
    // `launched` has served one variation, unchanged, for twelve days; `split` serves two; `archived` is off.
    expect(res.body.items).toEqual([
      { name: 'launched', lastRequested: iso(clock), default: false, _links: links('launched') },
      { name: 'inactive', _links: links('unused') },
      { name: 'active', lastRequested: iso(clock), default: false, _links: links('split') },
      { name: 'active', lastRequested: iso(clock), default: 'archived-default', _links: links('archived') },
    ]);
    const inStaging = await s.get('/api/v2/flag-statuses/shop/staging');
    expect(inStaging.body.items.map((item: { name: string }) => item.name)).toEqual(['inactive', 'inactive', 'inactive', 'inactive']);
    expect(inStaging.body.items[1]).toEqual({ name: 'inactive', lastRequested: iso(START + DAY), default: true, _links: links('unused', 'staging') });
  });

  it('a project without flags lists none', async () => {
    const res = await s.get('/api/v2/flag-statuses/empty/test');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ _links: { self: { href: '/api/v2/flag-statuses/empty/test', type: 'application/json' } }, items: [] });
  });
});
