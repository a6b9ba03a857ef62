// The whole experiment loop with the official clients only: launchdarkly-api-typescript creates and starts the
// experiment, @launchdarkly/node-server-sdk is served the rollout and sends exposures and conversions, and the
// REST client reads the results (getExperimentResults, getExperimentResultsForMetricGroup) over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Configuration, EnvironmentsApi, ExperimentsApi, type IterationInput, type TreatmentResultRep } from 'launchdarkly-api-typescript';
import { createWorld, iterationBody, type World } from './support/fixtures.js';
import { sdkClient } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

interface Tally {
  units: number;
  converted: number;
}

/**
 * Creates and starts an experiment on the world's flag with the REST client (`extra`: its methodology and analysis
 * settings), then has the SDK evaluate 120 units and track every other unit's checkout.
 */
async function runLoop(s: TestServer, w: World, extra: Record<string, unknown> = {}): Promise<{ experiments: ExperimentsApi; servedTrue: Tally; servedFalse: Tally }> {
  const servedTrue = { units: 0, converted: 0 };
  const servedFalse = { units: 0, converted: 0 };
  const config = new Configuration({ apiKey: s.tokens.writer, basePath: s.url });
  const experiments = new ExperimentsApi(config);
  const iteration = iterationBody(w, { metrics: [{ key: w.metric }, { key: w.standardGroup, isGroup: true }] }) as unknown as IterationInput;
  // Client 17 has no methodology or analysisConfig in its ExperimentPost type; it sends them as given.
  await experiments.createExperiment(w.project, 'production', { name: 'Loop', key: 'loop', iteration, ...extra });
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
  return { experiments, servedTrue, servedFalse };
}

describe('official clients: from an experiment to its results', () => {
  let s: TestServer;
  let w: World;
  let experiments: ExperimentsApi;
  let servedTrue: Tally;
  let servedFalse: Tally;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    ({ experiments, servedTrue, servedFalse } = await runLoop(s, w));
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

describe('official clients: a frequentist experiment', () => {
  let s: TestServer;
  let w: World;
  let experiments: ExperimentsApi;
  let servedTrue: Tally;
  let servedFalse: Tally;

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    ({ experiments, servedTrue, servedFalse } = await runLoop(s, w, { methodology: 'frequentist', analysisConfig: { significanceThreshold: '10', testDirection: 'two-sided' } }));
  });
  afterAll(() => s.close());

  it('getExperimentResults: confidence intervals, the difference from the baseline and its p-value, in the response the client returns', async () => {
    const { data } = await experiments.getExperimentResults(w.project, 'production', 'loop', w.metric);
    const [control, green] = data.treatmentResults! as (TreatmentResultRep & { confidenceInterval?: { lower: number; upper: number }; pValue?: number; significant?: boolean })[];
    expect(control).toMatchObject({ treatmentName: 'Control', units: servedTrue.units, eventValuesSum: servedTrue.converted });
    expect(green).toMatchObject({ treatmentName: 'Green', units: servedFalse.units, eventValuesSum: servedFalse.converted });
    const rate = (t: Tally) => t.converted / t.units;
    expect(control.mean).toBeCloseTo(rate(servedTrue), 12);
    expect(control.confidenceInterval!.lower).toBeLessThan(control.mean!);
    expect(control.confidenceInterval!.upper).toBeGreaterThan(control.mean!);
    expect((green as { relativeDifference?: number }).relativeDifference).toBeCloseTo((rate(servedFalse) - rate(servedTrue)) / rate(servedTrue), 12);
    // Which units each treatment got depends on the flag's random salt: the p-value is whatever the split gives,
    // and significance is judged at the experiment's 10%.
    expect(green.pValue).toBeGreaterThan(0);
    expect(green.pValue).toBeLessThanOrEqual(1);
    expect(green.significant).toBe(green.pValue! < 0.1);
    expect(green.relativeDifferences![0].fromTreatmentId).toBe(control.treatmentId);
    expect(green.pBest).toBeUndefined();
    const read = await experiments.getExperiment(w.project, 'production', 'loop', 'analysisConfig');
    expect((read.data as { methodology?: string }).methodology).toBe('frequentist');
  });
});
