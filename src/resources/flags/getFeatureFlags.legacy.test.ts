// getFeatureFlags' filters that API version 20240415 removed and older versions take: status and segmentTargeted
// (with filterEnv), followerId and contextKindTargeted. Under the current version they stay unknown fields.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const DAY = 24 * 60 * 60 * 1000;

describe('getFeatureFlags: status and followerId before API version 20240415', () => {
  let s: TestServer;
  let clock = 1_800_000_000_000;
  let member = '';
  const old = { headers: { 'LD-API-Version': '20220603' } };
  const keys = async (filter: string) => {
    const res = await s.get(`/api/v2/flags/shop?filter=${encodeURIComponent(filter)}`, old);
    expect(res.status, filter).toBe(200);
    return (res.body.items as { key: string }[]).map((f) => f.key);
  };

  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
    for (const key of ['stale', 'used']) expect((await s.post('/api/v2/flags/shop', { name: key, key })).status).toBe(201);
    clock += 10 * DAY;
    expect((await s.post('/api/v2/flags/shop', { name: 'fresh', key: 'fresh' })).status).toBe(201);
    // An SDK evaluates `used` in production now.
    const sdkKey = (await s.get('/api/v2/projects/shop/environments/production')).body.apiKey;
    const events = [{ kind: 'summary', startDate: clock - 1000, endDate: clock, features: { used: { default: false, counters: [{ variation: 1, value: false, version: 1, count: 2 }] } } }];
    expect((await s.post('/bulk', events, { token: sdkKey })).status).toBe(202);
    const invited = await s.post('/api/v2/members', [{ email: 'ariel@acme.com', role: 'reader' }]);
    member = invited.body.items[0]._id;
    expect((await s.put(`/api/v2/projects/shop/flags/stale/environments/test/followers/${member}`, undefined)).status).toBe(204);
    // Targeting: `used` matches a segment in production, `fresh` targets an org in test, `stale` a device attribute.
    expect((await s.post('/api/v2/segments/shop/production', { name: 'Beta', key: 'beta' })).status).toBe(201);
    const rule = (clause: object) => ({ op: 'add', path: '/environments/production/rules/-', value: { variation: 0, clauses: [clause] } });
    expect((await s.patch('/api/v2/flags/shop/used', [rule({ attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta'], negate: false })])).status).toBe(200);
    expect((await s.patch('/api/v2/flags/shop/stale', [rule({ contextKind: 'device', attribute: 'os', op: 'in', values: ['ios'], negate: false })])).status).toBe(200);
    const orgTarget = { op: 'add', path: '/environments/test/contextTargets/-', value: { contextKind: 'org', variation: 0, values: ['acme'] } };
    expect((await s.patch('/api/v2/flags/shop/fresh', [orgTarget])).status).toBe(200);
  });
  afterAll(() => s.close());

  it('status: the flags with that status in filterEnv, as getFeatureFlagStatus names it', async () => {
    expect(await keys('status:active,filterEnv:production')).toEqual(['used']);
    expect(await keys('status:inactive,filterEnv:production')).toEqual(['stale']);
    expect(await keys('status:new,filterEnv:production')).toEqual(['fresh']);
    expect(await keys('status:inactive,filterEnv:test')).toEqual(['stale', 'used']);
    expect(await keys('status:launched,filterEnv:production')).toEqual([]);
  });

  it('followerId: the flags that member follows, in filterEnv when given', async () => {
    expect(await keys(`followerId:${member}`)).toEqual(['stale']);
    expect(await keys(`followerId:${member},filterEnv:test`)).toEqual(['stale']);
    expect(await keys(`followerId:${member},filterEnv:production`)).toEqual([]);
  });

  it('segmentTargeted (in filterEnv) and contextKindTargeted (in filterEnv, or any environment)', async () => {
    expect(await keys('segmentTargeted:beta,filterEnv:production')).toEqual(['used']);
    expect(await keys('segmentTargeted:beta,filterEnv:test')).toEqual([]);
    expect(await keys('contextKindTargeted:org')).toEqual(['fresh']);
    expect(await keys('contextKindTargeted:org,filterEnv:production')).toEqual([]);
    expect(await keys('contextKindTargeted:device,filterEnv:production')).toEqual(['stale']);
    expect(await keys('contextKindTargeted:user')).toEqual([]);
  });

  it('400 naming filter for a status that is none, or without filterEnv; unknown fields under 20240415', async () => {
    for (const [filter, reason] of [
      ['status:paused,filterEnv:production', /new, active, inactive, launched/],
      ['status:active', /needs filterEnv/],
      ['segmentTargeted:beta', /needs filterEnv/],
    ] as const) {
      const res = await s.get(`/api/v2/flags/shop?filter=${encodeURIComponent(filter)}`, old);
      expect(res.status, filter).toBe(400);
      expect(res.body.errors[0].attribute).toBe('filter');
      expect(res.body.message).toMatch(reason);
    }
    for (const filter of ['status:active,filterEnv:production', `followerId:${member}`]) {
      const res = await s.get(`/api/v2/flags/shop?filter=${encodeURIComponent(filter)}`, { headers: { 'LD-API-Version': '20240415' } });
      expect(res.status, filter).toBe(400);
      expect(res.body.message).toMatch(/unknown filter field/);
    }
  });
});
