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
});
