import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createShop, DAY, iso, START, statusLinks as links } from '../../../test/support/flagStatuses.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFeatureFlagStatus: happy path', () => {
  let s: TestServer;
  let clock = START;
  let sdkKey: string;
  let client: LDClient | undefined;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock });
    await createShop(s);
    sdkKey = await sdkKeyOf(s, 'shop');
  });
  afterEach(() => {
    client?.close();
    client = undefined;
  });
  afterAll(() => s.close());

  /** Each test lives in its own stretch of time, 100 days after the previous one's. */
  let stretch = 0;
  const fromNow = () => START + ++stretch * 100 * DAY;
  const status = async (flag: string, env = 'production') => {
    const res = await s.get(`/api/v2/flag-statuses/shop/${env}/${flag}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const events = async (body: unknown[], key = sdkKey) => expect((await s.post('/bulk', body, { token: key })).status).toBe(202);
  const summary = (at: number, features: Record<string, unknown>) => ({ kind: 'summary', startDate: at - 1000, endDate: at, features });
  const counted = (defaultValue: unknown) => ({ default: defaultValue, contextKinds: ['user'], counters: [{ value: defaultValue, count: 3, variation: 0, version: 1 }] });
  const turnOn = (flag: string) => s.patch(`/api/v2/flags/shop/${flag}`, { environmentKey: 'production', instructions: [{ kind: 'turnFlagOn' }] }, { headers: { 'Content-Type': 'application/json; domain-model=launchdarkly.semanticpatch' } });

  it('a flag no SDK has evaluated is new for seven days, then inactive, in each environment', async () => {
    const created = (clock = fromNow());
    expect((await s.post('/api/v2/flags/shop', { name: 'Fresh', key: 'fresh' })).status).toBe(201);
    expect(await status('fresh')).toEqual({ name: 'new', _links: links('fresh') });
    clock = created + 7 * DAY - 1;
    expect((await status('fresh', 'staging')).name).toBe('new');
    clock = created + 7 * DAY;
    expect(await status('fresh', 'staging')).toEqual({ name: 'inactive', _links: links('fresh', 'staging') });
  });

  it('evaluated by the official SDK: active while off, with when it was requested and the default the code passed', async () => {
    clock = fromNow();
    expect((await s.post('/api/v2/flags/shop', { name: 'Colour', key: 'colour', variations: [{ value: 'red' }, { value: 'green' }] })).status).toBe(201);
    client = sdkClient(s.url, sdkKey, { sendEvents: true, flushInterval: 3600 });
    await client.waitForInitialization({ timeout: 10 });
    expect(await client.variation('colour', { kind: 'user', key: 'ann' }, 'grey')).toBe('green');
    await client.flush();
    expect(await status('colour')).toEqual({ name: 'active', lastRequested: iso(clock), default: 'grey', _links: links('colour') });
    // The staging SDKs have not asked for it.
    expect(await status('colour', 'staging')).toEqual({ name: 'new', _links: links('colour', 'staging') });
  });

  it('launched once on, serving one variation, unchanged for seven days and still requested; a change restarts the seven days', async () => {
    const created = (clock = fromNow());
    expect((await s.post('/api/v2/flags/shop', { name: 'Checkout', key: 'checkout' })).status).toBe(201);
    expect((await turnOn('checkout')).status).toBe(200);
    await events([summary(clock, { checkout: counted(false) })]);
    expect((await status('checkout')).name).toBe('active');

    clock = created + 7 * DAY;
    await events([summary(clock, { checkout: counted(false) })]);
    expect(await status('checkout')).toEqual({ name: 'launched', lastRequested: iso(clock), default: false, _links: links('checkout') });

    // Targeting one context to the other variation: two variations served, and a change in the past seven days.
    const changed = (clock += DAY);
    const target = await s.patch('/api/v2/flags/shop/checkout', [{ op: 'add', path: '/environments/production/targets/-', value: { variation: 1, values: ['ann'] } }]);
    expect(target.status).toBe(200);
    expect((await status('checkout')).name).toBe('active');
    // Removed again: one variation, but the targeting changed a day ago.
    expect((await s.patch('/api/v2/flags/shop/checkout', [{ op: 'remove', path: '/environments/production/targets/0' }])).status).toBe(200);
    clock = changed + 7 * DAY - 1;
    await events([summary(clock, { checkout: counted(false) })]);
    expect((await status('checkout')).name).toBe('active');
    clock = changed + 7 * DAY;
    expect((await status('checkout')).name).toBe('launched');
  });

  it('inactive once no SDK has asked for seven days, still showing when it last did and its default', async () => {
    const created = (clock = fromNow());
    expect((await s.post('/api/v2/flags/shop', { name: 'Retired', key: 'retired' })).status).toBe(201);
    const asked = (clock = created + 2 * DAY);
    await events([summary(asked, { retired: counted(true) })]);
    clock = asked + 7 * DAY - 1;
    expect((await status('retired')).name).toBe('active');
    clock = asked + 7 * DAY;
    expect(await status('retired')).toEqual({ name: 'inactive', lastRequested: iso(asked), default: true, _links: links('retired') });
  });

  it('feature and debug events count as summaries do; the latest default wins, whatever order payloads arrive in', async () => {
    const created = (clock = fromNow() + 10 * DAY);
    expect((await s.post('/api/v2/flags/shop', { name: 'Limits', key: 'limits', variations: [{ value: { max: 1 } }, { value: { max: 2 } }] })).status).toBe(201);
    const context = { kind: 'user', key: 'ann' };
    await events([{ kind: 'feature', creationDate: created - 2 * DAY, key: 'limits', context, value: { max: 2 }, default: { max: 0 }, variation: 1, version: 1 }]);
    expect(await status('limits')).toMatchObject({ lastRequested: iso(created - 2 * DAY), default: { max: 0 } });
    await events([{ kind: 'debug', creationDate: created - DAY, key: 'limits', context, value: { max: 2 }, default: null, variation: 1, version: 1 }]);
    expect(await status('limits')).toMatchObject({ name: 'active', lastRequested: iso(created - DAY), default: null });
    // An older payload sent again later changes neither.
    await events([summary(created - 3 * DAY, { limits: counted({ max: 9 }) })]);
    expect(await status('limits')).toMatchObject({ lastRequested: iso(created - DAY), default: null });
  });

  it("a prerequisite's evaluation counts as a request, without the default (the SDK's, not the code's)", async () => {
    clock = fromNow();
    expect((await s.post('/api/v2/flags/shop', { name: 'Gate', key: 'gate' })).status).toBe(201);
    await events([{ kind: 'feature', creationDate: clock - 1000, key: 'gate', context: { kind: 'user', key: 'ann' }, value: false, default: null, variation: 1, version: 1, prereqOf: 'child' }]);
    expect(await status('gate')).toEqual({ name: 'active', lastRequested: iso(clock - 1000), _links: links('gate') });
  });

  it('an event dated ahead of the server clock counts as requested when it arrived', async () => {
    clock = fromNow();
    expect((await s.post('/api/v2/flags/shop', { name: 'Skewed', key: 'skewed' })).status).toBe(201);
    await events([summary(clock + 30 * DAY, { skewed: counted('x') })]);
    expect((await status('skewed')).lastRequested).toBe(iso(clock));
    clock += 7 * DAY;
    expect((await status('skewed')).name).toBe('inactive');
  });
});
