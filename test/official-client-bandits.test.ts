// A multi-armed bandit with the official clients only: launchdarkly-api-typescript creates and starts it,
// @launchdarkly/node-server-sdk is served its rollout and sends exposures and conversions, the reallocation moves the
// traffic to the better treatment, the SDK hears the new rule on its stream, and new units follow the new shares
// while the units of the treatment that gained keep theirs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, EnvironmentsApi, ExperimentsApi, type IterationInput } from 'launchdarkly-api-typescript';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { reallocateDueBandits } from '../src/resources/experiments/reallocation.js';
import { createWorld, iterationBody, type World } from './support/fixtures.js';
import { sdkClient } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

const MINUTE = 60_000;

describe('official clients: a multi-armed bandit reallocates its traffic', () => {
  let s: TestServer;
  let w: World;
  let experiments: ExperimentsApi;
  let client: LDClient;
  let clock = Date.now() - 1_000;
  /** The units the SDK served Green before the reallocation. */
  const green: string[] = [];

  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock });
    w = await createWorld(s);
    const config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    experiments = new ExperimentsApi(config);
    const iteration = iterationBody(w, { reallocationFrequencyMillis: MINUTE }) as unknown as IterationInput;
    // Client 17's ExperimentPost has no `type`; it sends it as given.
    await experiments.createExperiment(w.project, 'production', { name: 'Bandit', key: 'bandit', iteration, ...{ type: 'mab' } });
    await experiments.patchExperiment(w.project, 'production', 'bandit', { instructions: [{ kind: 'startIteration' }] });
    const environment = (await new EnvironmentsApi(config).getEnvironment(w.project, 'production')).data;
    client = sdkClient(s.url, environment.apiKey, { sendEvents: true, flushInterval: 3600 });
    await client.waitForInitialization({ timeout: 10 });
    // Control (true) converts one unit in ten, Green (false) four in ten.
    for (let i = 0; i < 400; i++) {
      const unit = { kind: 'user', key: `first-${i}` };
      const isGreen = (await client.variation(w.flag, unit, 'default')) === false;
      if (isGreen) green.push(unit.key);
      if (i % 10 < (isGreen ? 4 : 1)) client.track('checkout', unit);
    }
    await client.flush();
  });
  afterAll(async () => {
    client?.close();
    await s?.close();
  });

  it('the better treatment gets its probability to be best as traffic, the SDK is streamed the rule, and units follow it', async () => {
    const updated = new Promise<void>((resolve) => client.once(`update:${w.flag}`, () => resolve()));
    clock += MINUTE;
    expect(await reallocateDueBandits(s.deps)).toBe(1);
    await updated;

    const read = (await experiments.getExperiment(w.project, 'production', 'bandit', 'treatments')).data.currentIteration!;
    const [control, greenShare] = read.treatments!.map((t) => Number(t.allocationPercent));
    expect(control + greenShare).toBeCloseTo(100, 9);
    expect(greenShare).toBeGreaterThan(90);
    const results = (await experiments.getExperimentResults(w.project, 'production', 'bandit', w.metric)).data;
    expect(results.treatmentResults![1].pBest).toBeGreaterThan(0.9);

    // Units that keep their bucket: every unit Green had still gets Green.
    for (const key of green) expect(await client.variation(w.flag, { kind: 'user', key }, 'default')).toBe(false);
    // New units follow the new shares (within five standard deviations of a binomial draw).
    let servedGreen = 0;
    const n = 2_000;
    for (let i = 0; i < n; i++) if ((await client.variation(w.flag, { kind: 'user', key: `next-${i}` }, 'default')) === false) servedGreen += 1;
    const p = greenShare / 100;
    expect(Math.abs(servedGreen - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)) + 1);
  });
});
