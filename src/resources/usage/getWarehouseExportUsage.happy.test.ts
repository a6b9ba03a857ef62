// Warehouse export usage: iterlab exports nothing, so every figure is 0, whatever the SDKs sent and whatever warehouse
// destinations are configured; in LaunchDarkly's shape, with its parameters (destination kinds, groupings).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const day = (n: number) => Date.UTC(2026, 2, 1) + (n - 1) * DAY;

describe('getWarehouseExportUsage', () => {
  let w: UsageWorld;
  beforeAll(async () => {
    w = await usageWorld(day(3) + HOUR);
    await w.send('shop/production', [{ kind: 'feature', key: 'checkout', creationDate: w.clock.now, context: ctx('u1'), value: true, variation: 0, reason: { kind: 'FALLTHROUGH', inExperiment: true } }]);
    const setup = await w.s.post('/api/v2/destinations/projects/shop/environments/production/kinds/redshift/setup', {});
    expect(setup.status).toBe(201);
    expect((await w.s.post('/api/v2/destinations/projects/shop/environments/production/kinds/redshift/complete-setup', {})).status).toBe(201);
  });
  afterAll(() => w.s.close());

  it('one series of zeros, each day since the start of the month by default', async () => {
    const res = await w.usage('/api/v2/usage/warehouse-export');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      _links: { self: { href: '/api/v2/usage/warehouse-export', type: 'application/json' } },
      metadata: [{}],
      series: [1, 2, 3].map((n) => ({ time: day(n), 0: 0 })),
    });
  });

  it('filtered by project, environment and destination kind; hourly, monthly; grouped: no series', async () => {
    const hourly = await w.usage('/api/v2/usage/warehouse-export', { from: day(3), aggregationType: 'incremental', granularity: 'hourly', projectKey: 'shop', environmentKey: 'production', destination: ['redshift', 'snowflake-v2'] });
    expect(hourly.status).toBe(200);
    expect(hourly.body.series).toEqual([{ time: day(3), 0: 0 }, { time: day(3) + HOUR, 0: 0 }]);
    expect((await w.usage('/api/v2/usage/warehouse-export', { granularity: 'monthly' })).body.series).toEqual([{ time: day(1), 0: 0 }]);
    const grouped = await w.usage('/api/v2/usage/warehouse-export', { from: day(3), groupBy: ['destination', 'environmentId', 'projectId'] });
    expect(grouped.body).toMatchObject({ metadata: [], series: [{ time: day(3) }] });
  });
});
