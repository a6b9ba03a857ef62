// ldcli's `flags usage` asks evaluationSummaries for a flag's evaluations in each environment over a window: the
// totals and the counts by variation _id that the SDKs' summary events reported, hour by hour.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { summary, usageWorld, type UsageWorld } from '../../../test/support/usage.js';
import type { Response } from '../../../test/support/server.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('postEvaluationSummaries: happy path', () => {
  let u: UsageWorld;
  let ids: string[];
  const T0 = Date.UTC(2026, 2, 15, 10, 30);
  beforeAll(async () => {
    u = await usageWorld(T0);
    ids = (await u.s.get('/api/v2/flags/shop/checkout')).body.variations.map((v: { _id: string }) => v._id);
    await u.send('shop/production', [summary({ checkout: { 0: 5, 1: 2 } }, u.clock.now)]);
    await u.send('shop/test', [summary({ checkout: { 1: 3 } }, u.clock.now)]);
    // Two days earlier, in production: outside a one-day window, inside a seven-day one.
    u.clock.now -= 2 * DAY;
    await u.send('shop/production', [summary({ checkout: { 0: 4 } }, u.clock.now)]);
    u.clock.now = T0;
  });
  afterAll(() => u.s.close());

  /** As ldcli's enrich client posts it: day-aligned window, the flag, the environments it has. */
  const ask = (body: unknown) => u.s.post('/internal/projects/shop/evaluationSummaries', body, { headers: { 'user-agent': 'launchdarkly-cli/v2.1.0' } });
  const to = Math.floor(T0 / DAY) * DAY + DAY;

  it('the totals and counts by variation _id, per environment asked, in the window; asking writes nothing', async () => {
    let res: Response | undefined;
    expect(await changedBy(u.s.store, async () => (res = await ask({ flagKeys: ['checkout'], environmentKeys: ['production', 'test'], from: to - 7 * DAY, to })))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(200);
    expect(res!.body).toEqual({
      data: [
        {
          flagKey: 'checkout',
          environments: {
            production: { totalEvaluations: 11, variationCounts: { [ids[0]]: 9, [ids[1]]: 2 } },
            test: { totalEvaluations: 3, variationCounts: { [ids[1]]: 3 } },
          },
        },
      ],
    });
    const day = await ask({ flagKeys: ['checkout'], environmentKeys: ['production'], from: to - DAY, to });
    expect(day.body.data[0].environments.production).toEqual({ totalEvaluations: 7, variationCounts: { [ids[0]]: 5, [ids[1]]: 2 } });
  });

  it('an environment with no evaluations in the window answers zero, not nothing', async () => {
    const res = await ask({ flagKeys: ['checkout'], environmentKeys: ['test'], from: to - 7 * DAY, to: to - 3 * DAY });
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ flagKey: 'checkout', environments: { test: { totalEvaluations: 0, variationCounts: {} } } }]);
  });
});
