// The whole experiment loop with the official clients only: launchdarkly-api-typescript creates and starts the
// experiment, @launchdarkly/node-server-sdk is served the rollout and sends exposures and conversions, and the
// REST client reads the results (getExperimentResults, getExperimentResultsForMetricGroup) over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, EnvironmentsApi, ExperimentsApi, type IterationInput } from 'launchdarkly-api-typescript';
import { createWorld, iterationBody, type World } from './support/fixtures.js';
import { sdkClient } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

describe('official clients: from an experiment to its results', () => {
  let s: TestServer;
  let w: World;
  let experiments: ExperimentsApi;
  const servedTrue = { units: 0, converted: 0 };
  const servedFalse = { units: 0, converted: 0 };

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    const config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
    experiments = new ExperimentsApi(config);
    const iteration = iterationBody(w, { metrics: [{ key: w.metric }, { key: w.standardGroup, isGroup: true }] }) as unknown as IterationInput;
    await experiments.createExperiment(w.project, 'production', { name: 'Loop', key: 'loop', iteration });
    await experiments.patchExperiment(w.project, 'production', 'loop', { instructions: [{ kind: 'startIteration' }] });
    const environment = (await new EnvironmentsApi(config).getEnvironment(w.project, 'production')).data;
    const client = sdkClient(s.url, environment.apiKey, { sendEvents: true, flushInterval: 3600 });
    try {
      await client.waitForInitialization({ timeout: 10 });
      for (let i = 0; i < 120; i++) {
        const unit = { kind: 'user', key: `loop-${i}` };
        const tally = (await client.variation(w.flag, unit, 'default')) === true ? servedTrue : servedFalse;
        tally.units += 1;
        if (i % 2 === 0) {
          client.track('checkout', unit);
          tally.converted += 1;
        }
      }
      await client.flush();
    } finally {
      client.close();
    }
  });
  afterAll(() => s.close());

  it('getExperimentResults: the units and conversions the SDK sent, per treatment', async () => {
    const { data } = await experiments.getExperimentResults(w.project, 'production', 'loop', w.metric, undefined, 'traffic');
    const byName = new Map(data.treatmentResults!.map((t) => [t.treatmentName, t]));
    expect(byName.get('Control')).toMatchObject({ traffic: servedTrue.units, eventValuesSum: servedTrue.converted });
    expect(byName.get('Green')).toMatchObject({ traffic: servedFalse.units, eventValuesSum: servedFalse.converted });
    expect(data.treatmentResults!.reduce((sum, t) => sum + t.pBest!, 0)).toBeCloseTo(1, 12);
    expect(data.metricSeen?.ever).toBe(true);
  });

  it('getExperimentResultsForMetricGroup: one entry per member metric', async () => {
    const { data } = await experiments.getExperimentResultsForMetricGroup(w.project, 'production', 'loop', w.standardGroup);
    expect(data.metrics.map((m) => m.metric.key)).toEqual([w.numericMetric]);
    expect(data.metrics[0].results.treatmentResults!.map((t) => t.units).reduce((a, b) => a! + b!, 0)).toBe(120);
  });
});
