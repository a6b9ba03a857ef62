// What iterlab has nothing of, as zeros in LaunchDarkly's shape: getObservabilityErrorsUsage,
// getObservabilityLogsUsage, getObservabilityMetricsUsage, getObservabilitySessionsUsage,
// getObservabilityTracesUsage, getVegaAIUsage (ranges in Unix seconds) and getDataExportEventsUsage (milliseconds),
// after SDK traffic that counts toward none of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ctx, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const DAY = 86_400_000;
const day = (n: number) => Date.UTC(2026, 2, 1) + (n - 1) * DAY;

describe('usage iterlab does not have: zeros', () => {
  let w: UsageWorld;
  beforeAll(async () => {
    w = await usageWorld(day(3) + 3_600_000);
    await w.send('shop/production', [{ kind: 'custom', key: 'purchase', creationDate: w.clock.now, context: ctx('u1') }]);
  });
  afterAll(() => w.s.close());

  const paths = ['errors', 'logs', 'metrics', 'sessions', 'traces'].map((p) => `/api/v2/usage/observability/${p}`).concat('/api/v2/usage/vega-ai');

  it('each day since the start of the month by default, one series of zeros', async () => {
    for (const path of [...paths, '/api/v2/usage/data-export-events']) {
      const res = await w.usage(path);
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body).toEqual({
        _links: { self: { href: path, type: 'application/json' } },
        metadata: [{}],
        series: [1, 2, 3].map((n) => ({ time: day(n), 0: 0 })),
      });
    }
  });

  it('a range in Unix seconds, monthly, a project; metrics hourly and averaged', async () => {
    for (const path of paths) {
      const res = await w.usage(path, { from: Math.floor(day(1) / 1000), to: Math.floor(w.clock.now / 1000), granularity: 'monthly', projectKey: 'shop' });
      expect(res.status, `${path} ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.series).toEqual([{ time: day(1), 0: 0 }]);
    }
    const hourly = await w.usage('/api/v2/usage/observability/metrics', { from: (w.clock.now - 3_600_000) / 1000, aggregationType: 'average', granularity: 'hourly' });
    expect(hourly.body.series).toHaveLength(2);
    const exports = await w.usage('/api/v2/usage/data-export-events', { from: day(3), aggregationType: 'incremental', granularity: 'hourly', projectKey: 'shop', environmentKey: 'production', eventKind: 'custom' });
    expect(exports.status).toBe(200);
    expect(exports.body.series).toEqual([{ time: day(3), 0: 0 }, { time: day(3) + 3_600_000, 0: 0 }]);
    // Grouped: no series at all, for there is no data.
    expect((await w.usage('/api/v2/usage/data-export-events', { from: day(3), groupBy: 'eventKind' })).body).toMatchObject({ metadata: [], series: [{ time: day(3) }] });
  });
});
