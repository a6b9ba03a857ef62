// Experiments of one layer started at once still get stretches of the layer's traffic that do not overlap: on
// PostgreSQL each start read the others' stretches as free and took the same one (its READ COMMITTED reads saw none
// of the concurrent starts), until the starts of a layer took turns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const KEYS = ['a', 'b', 'c', 'd'];

describe('layers: concurrent starts', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    expect((await s.post(`/api/v2/projects/${w.project}/layers`, { key: 'race', name: 'Race', description: 'concurrent starts' })).status).toBe(201);
    for (const key of KEYS) {
      const flag = (await s.post(`/api/v2/flags/${w.project}`, { name: `Flag ${key}`, key: `flag-${key}` })).body;
      expect((await s.patch(`/api/v2/flags/${w.project}/flag-${key}`, [{ op: 'replace', path: '/environments/production/on', value: true }])).status).toBe(200);
      await createExperimentIn(
        s,
        w,
        `exp-${key}`,
        iterationBody(w, {
          treatments: [
            { name: 'Off', baseline: true, allocationPercent: '50', parameters: [{ flagKey: `flag-${key}`, variationId: flag.variations[1]._id }] },
            { name: 'On', baseline: false, allocationPercent: '50', parameters: [{ flagKey: `flag-${key}`, variationId: flag.variations[0]._id }] },
          ],
          flags: { [`flag-${key}`]: { ruleId: 'fallthrough', flagConfigVersion: await flagVersion(s, w.project, `flag-${key}`) } },
        }),
      );
    }
    const reserve = KEYS.map((key) => ({ kind: 'updateExperimentReservation', experimentKey: `exp-${key}`, reservationPercent: 25 }));
    expect((await s.patch(`/api/v2/projects/${w.project}/layers/race`, { environmentKey: 'production', instructions: reserve })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('four experiments of 25% started together take the four quarters of the traffic', async () => {
    const starts = await Promise.all(KEYS.map((key) => s.patch(experimentsPath(w, `exp-${key}`), { instructions: [{ kind: 'startIteration' }] })));
    expect(starts.map((res) => res.status)).toEqual([200, 200, 200, 200]);
    const stretches: [number, number][] = [];
    for (const key of KEYS) {
      const rollout = (await s.get(`/api/v2/flags/${w.project}/flag-${key}?env=production`)).body.environments.production.fallthrough.rollout;
      let at = 0;
      const tracked: [number, number][] = [];
      for (const v of rollout.variations as { weight: number; _untracked?: boolean }[]) {
        if (!v._untracked) tracked.push([at, at + v.weight]);
        at += v.weight;
      }
      stretches.push([Math.min(...tracked.map(([from]) => from)), Math.max(...tracked.map(([, to]) => to))]);
    }
    expect(stretches.sort((x, y) => x[0] - y[0])).toEqual([
      [0, 25_000],
      [25_000, 50_000],
      [50_000, 75_000],
      [75_000, 100_000],
    ]);
  });
});
