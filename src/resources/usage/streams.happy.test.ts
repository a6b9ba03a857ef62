// Client-side streams as a browser opens them (GET /eval/{envId}/{context}, its user agent): counted in the hour they
// open and in every hour they stay open (the hourly count of open connections), not once more when they close; their
// SDK named by its user agent; none of it a service connection (those are the server-side SDKs').
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeContext } from '../../../test/support/routes.js';
import { column, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 15, 10, 30);

describe('client-side stream usage', () => {
  let w: UsageWorld;
  beforeAll(async () => {
    w = await usageWorld(T0, { listen: true });
  });
  afterAll(() => w.s.close());

  it('a browser stream open from 10:30 to 13:45 is in four hours, once each', async () => {
    const abort = new AbortController();
    const res = await fetch(`${w.s.url}/eval/${w.env['shop/production'].id}/${encodeContext({ kind: 'user', key: 'ada' })}`, {
      headers: { 'User-Agent': 'JSClient/3.4.0', Origin: 'https://shop.example' },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    await vi.waitFor(async () => expect(column((await w.usage('/api/v2/usage/streams/client', { from: T0 })).body)).toEqual([1]));
    // Hours pass: at 13:15 the hourly count finds it open in 11, 12 and 13 too.
    w.clock.now = T0 + 2 * HOUR + 45 * 60_000;
    w.s.app.connectionUsage.countOpen();
    await w.s.app.connectionUsage.settled();
    expect(column((await w.usage('/api/v2/usage/streams/client', { from: T0 })).body)).toEqual([1, 1, 1, 1]);
    // Closed at 13:45: 13 already counts it.
    w.clock.now = T0 + 3 * HOUR + 15 * 60_000;
    abort.abort();
    await vi.waitFor(async () => expect(column((await w.usage('/api/v2/usage/streams/client', { from: T0 })).body)).toEqual([1, 1, 1, 1]));
    // A day's figure is its busiest hour's: one connection.
    const daily = await w.usage('/api/v2/usage/streams/client', { from: T0 - 3 * 86_400_000 });
    expect(column(daily.body).at(-1)).toBe(1);
    const versions = await w.usage('/api/v2/usage/streams/client/sdkversions');
    expect(versions.body.sdkVersions).toEqual([{ sdk: 'JSClient', version: '3.4.0' }]);
    expect((await w.usage('/api/v2/usage/streams/server/sdkversions')).body.sdkVersions).toEqual([]);
    const minutes = await w.usage('/api/v2/usage/service-connections', { from: T0 });
    expect(column(minutes.body)).toEqual([0]);
    expect(column((await w.usage('/api/v2/usage/streams/client/bysdkversion', { from: T0, sdk: 'JSClient', version: '3.4.0' })).body)).toEqual([1, 1, 1, 1]);
  });
});
