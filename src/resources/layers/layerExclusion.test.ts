// Experiments in one layer get mutually exclusive traffic (createLayer: "Experiments running in the same layer are
// granted mutually-exclusive traffic"): started through the API, evaluated as the SDKs evaluate.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('layers keep their running experiments apart', () => {
  let s: TestServer;
  let w: World;
  const inExperiment = async (key: string): Promise<Set<string>> => {
    const res = await s.post(`/api/v2/projects/${w.project}/environments/production/flags/evaluate`, { kind: 'user', key });
    expect(res.status).toBe(200);
    return new Set((res.body.items as { key: string; reason: { inExperiment?: boolean } }[]).filter((item) => item.reason.inExperiment).map((item) => item.key));
  };

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const second = await s.post(`/api/v2/flags/${w.project}`, { name: 'Second', key: 'second' });
    expect((await s.patch(`/api/v2/flags/${w.project}/second`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
    await createExperimentIn(s, w, 'first-exp');
    await createExperimentIn(
      s,
      w,
      'second-exp',
      iterationBody(w, {
        treatments: [
          { name: 'Off', baseline: true, allocationPercent: '50', parameters: [{ flagKey: 'second', variationId: second.body.variations[1]._id }] },
          { name: 'On', baseline: false, allocationPercent: '50', parameters: [{ flagKey: 'second', variationId: second.body.variations[0]._id }] },
        ],
        flags: { second: { ruleId: 'fallthrough', flagConfigVersion: await flagVersion(s, w.project, 'second') } },
      }),
    );
    expect((await s.post(`/api/v2/projects/${w.project}/layers`, { key: 'checkout', name: 'Checkout', description: 'the checkout flow' })).status).toBe(201);
    const reserve = [
      { kind: 'updateExperimentReservation', experimentKey: 'first-exp', reservationPercent: 40 },
      { kind: 'updateExperimentReservation', experimentKey: 'second-exp', reservationPercent: 60 },
    ];
    expect((await s.patch(`/api/v2/projects/${w.project}/layers/checkout`, { environmentKey: 'production', instructions: reserve })).status).toBe(200);
    for (const key of ['first-exp', 'second-exp']) expect((await s.patch(experimentsPath(w, key), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('a unit is in at most one of them, and each takes about its reservation of the traffic', async () => {
    const counts = { first: 0, second: 0 };
    for (let i = 0; i < 400; i++) {
      const flags = await inExperiment(`unit-${i}`);
      expect(flags.has(w.flag) && flags.has('second'), `unit-${i} in both`).toBe(false);
      if (flags.has(w.flag)) counts.first += 1;
      if (flags.has('second')) counts.second += 1;
    }
    // 40% and 60% of 400 units, give or take what bucketing leaves to chance.
    expect(counts.first).toBeGreaterThan(110);
    expect(counts.first).toBeLessThan(210);
    expect(counts.second).toBeGreaterThan(190);
    expect(counts.second).toBeLessThan(290);
  });

  it("both rollouts bucket with the layer's seed, over stretches of it that do not overlap", async () => {
    const rollout = async (flag: string) => (await s.get(`/api/v2/flags/${w.project}/${flag}?env=production`)).body.environments.production.fallthrough.rollout;
    const [a, b] = [await rollout(w.flag), await rollout('second')];
    expect(a.seed).toBe(b.seed);
    const tracked = (r: { variations: { weight: number; _untracked?: boolean }[] }) => {
      let at = 0;
      const out: [number, number][] = [];
      for (const v of r.variations) {
        if (!v._untracked) out.push([at, at + v.weight]);
        at += v.weight;
      }
      return [Math.min(...out.map(([from]) => from)), Math.max(...out.map(([, to]) => to))];
    };
    expect(tracked(a)).toEqual([0, 40_000]);
    expect(tracked(b)).toEqual([40_000, 100_000]);
  });
});
