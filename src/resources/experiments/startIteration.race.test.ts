// Concurrency: startIteration calls racing on experiments that target the same rule. Exactly one runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';
import { createExperimentIn, createWorld, experimentsPath, flagVersion, iterationBody, type World } from '../../../test/support/fixtures.js';

describe('startIteration races', () => {
  let s: TestServer;
  let w: World;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  for (let round = 0; round < 3; round++) {
    it(`round ${round}: exactly one of several experiments on the same rule starts; the flag carries one experiment rollout`, async () => {
      const version = await flagVersion(s, w.project, w.flag);
      const keys = Array.from({ length: 6 }, (_, i) => `race-${round}-${i}`);
      for (const key of keys) await createExperimentIn(s, w, key, iterationBody(w, { flags: { [w.flag]: { ruleId: 'fallthrough', flagConfigVersion: version } } }));
      const results = await Promise.all(keys.map((key) => s.patch(experimentsPath(w, key), { instructions: [{ kind: 'startIteration' }] })));
      const statuses = results.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
      for (const r of results.filter((x) => x.status === 409)) expect(r.body.code).toBe('optimistic_locking_error');
      const winner = keys[results.findIndex((r) => r.status === 200)];
      const running = (await s.get(`${experimentsPath(w)}?filter=status:running`)).body.items.map((e: { key: string }) => e.key);
      expect(running).toEqual([winner]);
      const env = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production;
      expect(env.version).toBe(version + 1);
      expect(env.fallthrough.rollout.experimentAllocation).toBeDefined();
      const rollouts = [env.fallthrough, ...env.rules].filter((t: { rollout?: { experimentAllocation?: unknown } }) => t.rollout?.experimentAllocation);
      expect(rollouts).toHaveLength(1);
      const stop = await s.patch(experimentsPath(w, winner), { instructions: [{ kind: 'stopIteration', winningTreatmentId: w.variations[0] }] });
      expect(stop.status).toBe(200);
    });
  }

  for (let round = 0; round < 3; round++) {
    it(`round ${round}: a start and the deletion of the draft's metric at once: one of them wins, never both`, async () => {
      const metric = `racing-metric-${round}`;
      expect((await s.post(`/api/v2/metrics/${w.project}`, { key: metric, kind: 'custom', eventKey: metric, isNumeric: false })).status).toBe(201);
      const key = `metric-race-${round}`;
      await createExperimentIn(s, w, key, iterationBody({ ...w, version: await flagVersion(s, w.project, w.flag) }, { metrics: [{ key: metric }], primarySingleMetricKey: metric }));
      const [start, del] = await Promise.all([s.patch(experimentsPath(w, key), { instructions: [{ kind: 'startIteration' }] }), s.del(`/api/v2/metrics/${w.project}/${metric}`)]);
      const outcome = [start.status, del.status];
      expect([JSON.stringify([200, 409]), JSON.stringify([400, 204])]).toContain(JSON.stringify(outcome));
      const status = (await s.get(experimentsPath(w, key))).body.currentIteration.status;
      expect(status).toBe(start.status === 200 ? 'running' : 'not_started');
      expect((await s.get(`/api/v2/metrics/${w.project}/${metric}`)).status).toBe(del.status === 204 ? 404 : 200);
      if (start.status === 200) {
        expect((await s.patch(experimentsPath(w, key), { instructions: [{ kind: 'stopIteration', winningTreatmentId: w.variations[0] }] })).status).toBe(200);
      }
    });
  }
});
