// LaunchDarkly's older MAU operations, counted from what SDKs sent: getMauUsage (the user kind unless contextKind
// says, rolling 30 days by default, filtered and grouped by its lower-case parameters), getMauUsageByCategory
// (browser, mobile, backend) and getMauSdksByType (the SDKs that sent contexts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, ctx, seriesOf, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const DAY = 86_400_000;
const day = (n: number) => Date.UTC(2026, 2, 1) + (n - 1) * DAY;

describe('MAU usage (older operations)', () => {
  let w: UsageWorld;
  beforeAll(async () => {
    // 20 February: u0 from the server; 15 March: u1, u2 from the server, u1 and u3 from a browser, u4 from a phone.
    w = await usageWorld(Date.UTC(2026, 1, 20, 12));
    await w.send('shop/production', [{ kind: 'index', creationDate: w.clock.now, context: ctx('u0') }]);
    w.clock.now = day(15) + 12 * 3_600_000;
    await w.send('shop/production', [{ kind: 'index', creationDate: w.clock.now, context: ctx('u1') }, { kind: 'index', creationDate: w.clock.now, context: { kind: 'multi', user: { key: 'u2' }, org: { key: 'o1' } } }]);
    await w.send('shop/production', [{ kind: 'identify', creationDate: w.clock.now, context: ctx('u1') }, { kind: 'identify', creationDate: w.clock.now, context: ctx('u3', 'user', true) }], { kind: 'browser', userAgent: 'JSClient/3.4.0' });
    await w.send('labs/production', [{ kind: 'identify', creationDate: w.clock.now, context: ctx('u4') }], { kind: 'mobile', userAgent: 'iOS/9.1.0' });
  });
  afterAll(() => w.s.close());

  it('getMauUsage: the last 30 days, each day the users of the 30 days to it', async () => {
    const res = await w.usage('/api/v2/usage/mau');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.series).toHaveLength(31);
    expect(res.body.series[0].time).toBe(day(15) - 30 * DAY);
    expect(res.body.metadata).toEqual([{}]);
    const figures = column(res.body);
    // u0 (20 February) is within 30 days of each day up to 21 March; on 15 March: u0, u1, u2, u3 (in shop/production) and u4.
    expect(figures.at(-1)).toBe(5);
    expect(figures[0]).toBe(0);
    expect(figures[res.body.series.findIndex((p: { time: number }) => p.time === Date.UTC(2026, 1, 20))]).toBe(1);
  });

  it('getMauUsage: month to date and daily, filtered by project, environment, SDK type, SDK, anonymity and kind', async () => {
    const from = day(15);
    expect(column((await w.usage('/api/v2/usage/mau', { from, aggregationType: 'month_to_date' })).body)).toEqual([4]);
    expect(column((await w.usage('/api/v2/usage/mau', { from, aggregationType: 'daily_incremental', project: 'shop', environment: 'production' })).body)).toEqual([3]);
    expect(column((await w.usage('/api/v2/usage/mau', { from, aggregationType: 'daily_incremental', sdktype: 'client' })).body)).toEqual([3]);
    expect(column((await w.usage('/api/v2/usage/mau', { from, aggregationType: 'daily_incremental', sdk: 'JSClient', anonymous: 'false' })).body)).toEqual([1]);
    expect(column((await w.usage('/api/v2/usage/mau', { from, aggregationType: 'daily_incremental', contextKind: 'org' })).body)).toEqual([1]);
    const grouped = await w.usage('/api/v2/usage/mau', { from, aggregationType: 'daily_incremental', groupby: ['project', 'sdktype'] });
    expect(column(grouped.body, seriesOf(grouped.body, { project: 'shop', sdktype: 'server' }))).toEqual([2]);
    expect(column(grouped.body, seriesOf(grouped.body, { project: 'shop', sdktype: 'client' }))).toEqual([2]);
    expect(column(grouped.body, seriesOf(grouped.body, { project: 'labs', sdktype: 'client' }))).toEqual([1]);
    const kinds = await w.usage('/api/v2/usage/mau', { from, aggregationType: 'daily_incremental', contextKind: ['user', 'org'], groupby: 'contextKind' });
    expect(column(kinds.body, seriesOf(kinds.body, { contextKind: 'org' }))).toEqual([1]);
    expect(column(kinds.body, seriesOf(kinds.body, { contextKind: 'user' }))).toEqual([4]);
  });

  it('getMauUsageByCategory: browser, mobile and backend, always all three', async () => {
    const res = await w.usage('/api/v2/usage/mau/bycategory', { from: day(15) });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.metadata).toEqual([{ category: 'browser' }, { category: 'mobile' }, { category: 'backend' }]);
    // Over the 30 days to 15 March: the browser's u1 and u3, the phone's u4, the server's u0, u1 and u2.
    expect(res.body.series).toEqual([{ time: day(15), 0: 2, 1: 1, 2: 3 }]);
  });

  it('getMauSdksByType: the SDKs that sent contexts in the last seven days, of a type or both', async () => {
    const all = await w.usage('/api/v2/usage/mau/sdks');
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ _links: { self: { href: '/api/v2/usage/mau/sdks', type: 'application/json' } }, sdks: ['JSClient', 'NodeJSClient', 'iOS'] });
    expect((await w.usage('/api/v2/usage/mau/sdks', { sdktype: 'client' })).body.sdks).toEqual(['JSClient', 'iOS']);
    expect((await w.usage('/api/v2/usage/mau/sdks', { sdktype: 'server' })).body.sdks).toEqual(['NodeJSClient']);
    expect((await w.usage('/api/v2/usage/mau/sdks', { from: Date.UTC(2026, 1, 20), to: Date.UTC(2026, 1, 21) })).body.sdks).toEqual(['NodeJSClient']);
  });
});
