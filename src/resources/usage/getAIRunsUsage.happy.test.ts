// AI runs: the generations LaunchDarkly's AI SDKs tracked ($ld:ai:generation:success and :error custom events), sent
// as the AI SDK sends them through its server-side SDK; its other events (tokens, durations, feedback) and ordinary
// custom events are not runs. Counted by the SDK that sent them, per project and environment; filtered, grouped,
// month to date (default) or per period.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { column, ctx, seriesOf, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const day = (n: number) => Date.UTC(2026, 2, 1) + (n - 1) * DAY;

describe('getAIRunsUsage', () => {
  let w: UsageWorld;
  const aiEvent = (key: string, at: number, value = 1) => ({
    kind: 'custom',
    key,
    creationDate: at,
    context: ctx('ada'),
    data: { variationKey: 'friendly', configKey: 'assistant', version: 1 },
    metricValue: value,
  });
  beforeAll(async () => {
    w = await usageWorld(day(2) + 10 * HOUR);
    // Day 2: two successes and an error from the Node SDK in shop/production; the tracker's other events are no runs.
    await w.send('shop/production', [
      aiEvent('$ld:ai:generation:success', w.clock.now),
      aiEvent('$ld:ai:generation:success', w.clock.now),
      aiEvent('$ld:ai:generation:error', w.clock.now),
      aiEvent('$ld:ai:tokens:total', w.clock.now, 300),
      aiEvent('$ld:ai:duration:total', w.clock.now, 120),
      aiEvent('$ld:ai:feedback:user:positive', w.clock.now),
      { kind: 'custom', key: 'purchase', creationDate: w.clock.now, context: ctx('ada') },
    ]);
    // Day 3: one from the Python SDK in labs/production.
    w.clock.now = day(3) + 5 * HOUR;
    await w.send('labs/production', [aiEvent('$ld:ai:generation:success', w.clock.now)], { userAgent: 'PythonClient/9.12.0' });
  });
  afterAll(() => w.s.close());

  it('month to date, daily, since the start of the month by default', async () => {
    const res = await w.usage('/api/v2/usage/ai-runs');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      _links: { self: { href: '/api/v2/usage/ai-runs', type: 'application/json' } },
      metadata: [{}],
      series: [
        { time: day(1), 0: 0 },
        { time: day(2), 0: 3 },
        { time: day(3), 0: 4 },
      ],
    });
  });

  it('incremental, hourly; by project, environment and SDK; filtered', async () => {
    const incremental = await w.usage('/api/v2/usage/ai-runs', { aggregationType: 'incremental' });
    expect(column(incremental.body)).toEqual([0, 3, 1]);
    const hourly = await w.usage('/api/v2/usage/ai-runs', { from: day(2) + 9 * HOUR, to: day(2) + 11 * HOUR, aggregationType: 'incremental', granularity: 'hourly' });
    expect(column(hourly.body)).toEqual([0, 3, 0]);
    const grouped = await w.usage('/api/v2/usage/ai-runs', { groupBy: ['projectId', 'environmentId', 'sdkName', 'sdkVersion', 'sdkType'] });
    expect(grouped.body.metadata).toHaveLength(2);
    const node = seriesOf(grouped.body, { projectId: w.projectId.shop, environmentId: w.env['shop/production'].id, sdkName: 'NodeJSClient', sdkVersion: '9.7.1', sdkType: 'server' });
    const python = seriesOf(grouped.body, { projectId: w.projectId.labs, sdkName: 'PythonClient', sdkVersion: '9.12.0' });
    expect(column(grouped.body, node)).toEqual([0, 3, 3]);
    expect(column(grouped.body, python)).toEqual([0, 0, 1]);
    expect(column((await w.usage('/api/v2/usage/ai-runs', { projectKey: 'labs' })).body)).toEqual([0, 0, 1]);
    expect(column((await w.usage('/api/v2/usage/ai-runs', { projectKey: 'shop', environmentKey: 'test' })).body)).toEqual([0, 0, 0]);
    expect(column((await w.usage('/api/v2/usage/ai-runs', { sdkName: ['PythonClient', 'GoClient'] })).body)).toEqual([0, 0, 1]);
    expect(column((await w.usage('/api/v2/usage/ai-runs', { sdkVersion: '9.7.1', sdkType: 'server' })).body)).toEqual([0, 3, 3]);
    expect(column((await w.usage('/api/v2/usage/ai-runs', { sdkType: 'client' })).body)).toEqual([0, 0, 0]);
    const monthly = await w.usage('/api/v2/usage/ai-runs', { granularity: 'monthly' });
    expect(monthly.body.series).toEqual([{ time: day(1), 0: 4 }]);
  });
});
