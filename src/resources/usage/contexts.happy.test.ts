// The context and MAU figures, counted from what SDKs sent: getContextsTotalUsage, getContextsClientsideUsage,
// getContextsServersideUsage, getMAUTotalUsage, getMAUClientsideUsage. Two days of traffic from a server-side SDK, a
// browser and a mobile SDK across three environments of two projects; each figure is the distinct context keys the
// events carried (per environment), month to date, per day, over 30 days or per month, filtered and grouped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, ctx, seriesOf, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const DAY = 86_400_000;
const MARCH = Date.UTC(2026, 2, 1);
const day = (n: number) => MARCH + (n - 1) * DAY;

describe('contexts and MAU usage', () => {
  let w: UsageWorld;
  beforeAll(async () => {
    w = await usageWorld(day(14) + 9 * 3_600_000);
    const at = w.clock.now;
    await w.send('shop/production', [
      { kind: 'index', creationDate: at, context: ctx('u1') },
      { kind: 'index', creationDate: at, context: { kind: 'multi', user: { key: 'u2' }, org: { key: 'o1' } } },
    ]);
    w.clock.now = day(15) + 10 * 3_600_000;
    const now = w.clock.now;
    await w.send('shop/production', [{ kind: 'identify', creationDate: now, context: ctx('u1') }, { kind: 'identify', creationDate: now, context: ctx('u3', 'user', true) }], { kind: 'browser', userAgent: 'JSClient/3.4.0' });
    await w.send('shop/production', [
      { kind: 'feature', key: 'checkout', version: 1, variation: 0, value: true, default: false, creationDate: now, context: ctx('u2') },
      { kind: 'custom', key: 'purchase', creationDate: now, context: ctx('u4') },
      // The same key again in one payload, and another kind: counted once, under its kind.
      { kind: 'custom', key: 'purchase', creationDate: now, context: ctx('u4') },
      { kind: 'custom', key: 'purchase', creationDate: now, context: ctx('d1', 'device') },
    ]);
    await w.send('shop/test', [{ kind: 'index', creationDate: now, context: ctx('u1') }]);
    await w.send('labs/production', [{ kind: 'identify', creationDate: now, context: ctx('u5') }], { kind: 'mobile', userAgent: 'AndroidClient/5.1.0' });
  });
  afterAll(() => w.s.close());

  it('getContextsTotalUsage: each kind since the start of the month, day by day, to now (the defaults)', async () => {
    const res = await w.usage('/api/v2/usage/total-contexts');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body._links.self.href).toBe('/api/v2/usage/total-contexts');
    expect(res.body.series.map((p: { time: number }) => p.time)).toEqual(Array.from({ length: 15 }, (_, i) => day(i + 1)));
    expect(res.body.metadata).toHaveLength(3);
    // Month to date: 14 March u1, u2 (shop/production); 15 March also u3, u4 there, u1 in shop/test, u5 in labs.
    expect(column(res.body, seriesOf(res.body, { contextKind: 'user' }))).toEqual([...Array(13).fill(0), 2, 6]);
    expect(column(res.body, seriesOf(res.body, { contextKind: 'org' }))).toEqual([...Array(13).fill(0), 1, 1]);
    expect(column(res.body, seriesOf(res.body, { contextKind: 'device' }))).toEqual([...Array(14).fill(0), 1]);
  });

  it('incremental, rolling_30d and monthly; from and to', async () => {
    const range = { from: day(14), to: w.clock.now };
    const incremental = await w.usage('/api/v2/usage/total-contexts', { ...range, aggregationType: 'incremental', contextKind: 'user' });
    expect(incremental.body.metadata).toEqual([{ contextKind: 'user' }]);
    // 15 March: u1 (browser), u2, u3, u4 in shop/production, u1 in shop/test, u5 in labs.
    expect(column(incremental.body)).toEqual([2, 6]);
    const rolling = await w.usage('/api/v2/usage/total-contexts', { ...range, aggregationType: 'rolling_30d', contextKind: 'user' });
    expect(column(rolling.body)).toEqual([2, 6]);
    const monthly = await w.usage('/api/v2/usage/total-contexts', { granularity: 'monthly', contextKind: ['user', 'org'] });
    expect(monthly.body.series).toHaveLength(1);
    expect(monthly.body.series[0].time).toBe(MARCH);
    expect(column(monthly.body, seriesOf(monthly.body, { contextKind: 'user' }))).toEqual([6]);
    expect(column(monthly.body, seriesOf(monthly.body, { contextKind: 'org' }))).toEqual([1]);
    // Seconds are read as seconds.
    const seconds = await w.usage('/api/v2/usage/total-contexts', { from: day(15) / 1000, to: Math.floor(w.clock.now / 1000), aggregationType: 'incremental', contextKind: 'user' });
    expect(column(seconds.body)).toEqual([6]);
  });

  it('filters by project, environment, SDK, SDK type and anonymity, and groups by them', async () => {
    const test = await w.usage('/api/v2/usage/total-contexts', { projectKey: 'shop', environmentKey: 'test', from: day(15) });
    expect(column(test.body, seriesOf(test.body, { contextKind: 'user' }))).toEqual([1]);
    const projects = await w.usage('/api/v2/usage/total-contexts', { from: day(15), contextKind: 'user', groupBy: 'projectId' });
    expect(column(projects.body, seriesOf(projects.body, { contextKind: 'user', projectId: w.projectId.shop }))).toEqual([5]);
    expect(column(projects.body, seriesOf(projects.body, { contextKind: 'user', projectId: w.projectId.labs }))).toEqual([1]);
    const bySdk = await w.usage('/api/v2/usage/total-contexts', { from: day(15), aggregationType: 'incremental', contextKind: 'user', groupBy: ['sdkName', 'sdkType'] });
    expect(column(bySdk.body, seriesOf(bySdk.body, { sdkName: 'JSClient', sdkType: 'client' }))).toEqual([2]);
    expect(column(bySdk.body, seriesOf(bySdk.body, { sdkName: 'AndroidClient', sdkType: 'client' }))).toEqual([1]);
    expect(column(bySdk.body, seriesOf(bySdk.body, { sdkName: 'NodeJSClient', sdkType: 'server' }))).toEqual([3]);
    const servers = await w.usage('/api/v2/usage/total-contexts', { from: day(15), aggregationType: 'incremental', contextKind: 'user', sdkType: 'server', sdkName: 'NodeJSClient' });
    expect(column(servers.body)).toEqual([3]);
    const anonymous = await w.usage('/api/v2/usage/total-contexts', { from: day(15), aggregationType: 'incremental', contextKind: 'user', groupBy: 'anonymousV2' });
    expect(column(anonymous.body, seriesOf(anonymous.body, { anonymousV2: 'true' }))).toEqual([1]);
    expect(column(anonymous.body, seriesOf(anonymous.body, { anonymousV2: 'false' }))).toEqual([5]);
    const named = await w.usage('/api/v2/usage/total-contexts', { from: day(15), aggregationType: 'incremental', contextKind: 'user', anonymous: 'false' });
    expect(column(named.body)).toEqual([5]);
    const apps = await w.usage('/api/v2/usage/total-contexts', { from: day(15), aggregationType: 'incremental', contextKind: 'user', groupBy: 'sdkAppId', projectKey: 'labs' });
    expect(apps.body.metadata).toEqual([{ contextKind: 'user', sdkAppId: 'AndroidClient/5.1.0' }]);
  });

  it('getContextsClientsideUsage and getContextsServersideUsage: the client-side and the server-side SDKs alone', async () => {
    const client = await w.usage('/api/v2/usage/clientside-contexts', { from: day(15) });
    expect(client.status).toBe(200);
    expect(column(client.body, seriesOf(client.body, { contextKind: 'user' }))).toEqual([3]);
    expect(client.body.metadata).toEqual([{ contextKind: 'user' }]);
    const server = await w.usage('/api/v2/usage/serverside-contexts', { from: day(14) });
    expect(server.status).toBe(200);
    expect(column(server.body, seriesOf(server.body, { contextKind: 'user' }))).toEqual([2, 4]);
    expect(column(server.body, seriesOf(server.body, { contextKind: 'org' }))).toEqual([1, 1]);
    expect(column(server.body, seriesOf(server.body, { contextKind: 'device' }))).toEqual([0, 1]);
  });

  it('getMAUTotalUsage and getMAUClientsideUsage: the primary kind (user) alone, one series unless grouped', async () => {
    const total = await w.usage('/api/v2/usage/total-mau', { from: day(14) });
    expect(total.status).toBe(200);
    expect(total.body.metadata).toEqual([{}]);
    expect(column(total.body)).toEqual([2, 6]);
    const client = await w.usage('/api/v2/usage/clientside-mau', { from: day(15), groupBy: 'anonymousV2' });
    expect(column(client.body, seriesOf(client.body, { anonymousV2: 'false' }))).toEqual([2]);
    expect(column(client.body, seriesOf(client.body, { anonymousV2: 'true' }))).toEqual([1]);
    const byEnv = await w.usage('/api/v2/usage/total-mau', { from: day(15), projectKey: 'shop', groupBy: 'environmentId', aggregationType: 'incremental' });
    expect(column(byEnv.body, seriesOf(byEnv.body, { environmentId: w.env['shop/production'].id }))).toEqual([4]);
    expect(column(byEnv.body, seriesOf(byEnv.body, { environmentId: w.env['shop/test'].id }))).toEqual([1]);
  });

  it('no traffic in the range: zeros', async () => {
    const res = await w.usage('/api/v2/usage/total-mau', { from: day(2), to: day(3) });
    expect(res.body.series).toEqual([
      { time: day(2), 0: 0 },
      { time: day(3), 0: 0 },
    ]);
  });
});
