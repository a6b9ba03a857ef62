// ldcli's `flags usage --exposures`: the context kinds that evaluated a flag in an environment (contextKinds), then
// for each kind the unique contexts its full evaluation events carried over a window (contextsCount), as ldcli asks:
// day-aligned `from` and `to`, the environment and kind in `filter`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { ctx, summary, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const DAY = 24 * 3_600_000;

describe('getMonitorContextKinds and getMonitorContextsCount: happy path', () => {
  let u: UsageWorld;
  const T0 = Date.UTC(2026, 2, 15, 10, 30);
  const to = Math.floor(T0 / DAY) * DAY;
  const feature = (context: unknown, at: number, key = 'checkout') => ({ kind: 'feature', key, version: 1, variation: 0, value: true, default: false, context, creationDate: at });
  const kinds = (env: string) => u.s.get(`/internal/projects/shop/flags/checkout/monitor/contextKinds?filter=${encodeURIComponent(`env equals ${env}`)}`, { headers: { 'user-agent': 'launchdarkly-cli/v2.1.0' } });
  const count = (env: string, kind: string, from: number, until = to) =>
    u.s.get(`/internal/projects/shop/flags/checkout/monitor/contextsCount?from=${from}&to=${until}&filter=${encodeURIComponent(`env equals ${env},contextKind equals ${kind}`)}`);

  beforeAll(async () => {
    u = await usageWorld(T0);
    const day = to - DAY + 3_600_000;
    await u.send('shop/production', [
      // u1 three times (once in a multi-context with an organization), u2 once, org acme twice: yesterday.
      feature(ctx('u1'), day),
      feature(ctx('u1'), day + 1000),
      feature({ kind: 'multi', user: { key: 'u1' }, organization: { key: 'acme' } }, day + 2000),
      feature(ctx('u2'), day + 3000),
      feature(ctx('acme', 'organization'), day + 4000),
      // Another flag's, and a custom event of u9: not the flag's exposures.
      feature(ctx('u8'), day, 'other-flag'),
      { kind: 'custom', key: 'purchase', context: ctx('u9'), creationDate: day },
      // u3 five days earlier: inside a seven-day window, outside a one-day one.
      feature(ctx('u3'), to - 5 * DAY),
      summary({ checkout: { 0: 9 } }, day + 5000),
    ]);
    await u.send('shop/test', [feature(ctx('t1'), day)]);
  });
  afterAll(() => u.s.close());

  it('contextKinds: the kinds that evaluated the flag in the environment, sorted; asking writes nothing', async () => {
    let res: Awaited<ReturnType<typeof kinds>> | undefined;
    expect(await changedBy(u.s.store, async () => (res = await kinds('production')))).toBe(false);
    expect(res!.status, JSON.stringify(res!.body)).toBe(200);
    expect(res!.body).toEqual({ data: { contextKinds: ['organization', 'user'] } });
    expect((await kinds('test')).body).toEqual({ data: { contextKinds: ['user'] } });
  });

  it('contextsCount: each context once, by its key of the kind, in the window; never sampled', async () => {
    expect((await count('production', 'user', to - 7 * DAY)).body).toEqual({ data: { totalUniqueContexts: 3, isSampled: false } });
    expect((await count('production', 'user', to - DAY)).body).toEqual({ data: { totalUniqueContexts: 2, isSampled: false } });
    expect((await count('production', 'organization', to - 7 * DAY)).body).toEqual({ data: { totalUniqueContexts: 1, isSampled: false } });
    expect((await count('test', 'user', to - 7 * DAY)).body).toEqual({ data: { totalUniqueContexts: 1, isSampled: false } });
    // A kind nobody of which was exposed, and a window before any event: zero, not an error.
    expect((await count('production', 'device', to - 7 * DAY)).body).toEqual({ data: { totalUniqueContexts: 0, isSampled: false } });
    expect((await count('production', 'user', to - 30 * DAY, to - 20 * DAY)).body.data.totalUniqueContexts).toBe(0);
  });

  it('contextsCount without from and to: the seven days up to now', async () => {
    const res = await u.s.get(`/internal/projects/shop/flags/checkout/monitor/contextsCount?filter=${encodeURIComponent('env equals production,contextKind equals user')}`);
    expect(res.status).toBe(200);
    expect(res.body.data.totalUniqueContexts).toBe(3);
  });
});
