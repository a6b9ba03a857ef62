// Frequentist results: an experiment with `methodology: frequentist` is analysed by its analysisConfig (significance
// threshold, test direction, sequential testing, multiple comparisons correction). The same 200 units and events go
// to one project per configuration; the expected figures are SciPy's for the same data (see
// src/analysis/frequentist.test.ts): control converts 20 of 100 and spends 10 + u mod 7, Green converts 40 of 100
// and spends 3 more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, experimentsPath, iterationBody, type World } from '../../../test/support/fixtures.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const CONFIGS = {
  plain: { significanceThreshold: '5' },
  fraction: { significanceThreshold: '0.05' },
  bonferroni: { significanceThreshold: '5', multipleComparisonCorrectionMethod: 'bonferroni', multipleComparisonCorrectionScope: 'metrics' },
  bh: { multipleComparisonCorrectionMethod: 'benjamini-hochberg', multipleComparisonCorrectionScope: 'variations-and-metrics' },
  oneSided: { testDirection: 'one-sided' },
  sequential: { sequentialTestingEnabled: true },
} as const;
type Name = keyof typeof CONFIGS;

describe('getExperimentResults, frequentist', () => {
  let s: TestServer;
  const worlds = new Map<Name | 'bayesian' | 'group', World>();
  const results = (name: Name | 'bayesian' | 'group', metric: string) => s.get(`${experimentsPath(worlds.get(name)!, 'freq')}/metrics/${metric}/results`);

  async function run(name: Name | 'bayesian' | 'group', body: Record<string, unknown>, metrics?: unknown[]): Promise<void> {
    const w = await createWorld(s, `p-${name.toLowerCase()}`);
    worlds.set(name, w);
    const created = await s.post(experimentsPath(w), { name: 'Freq', key: 'freq', iteration: iterationBody(w, metrics ? { metrics } : {}), ...body });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const started = await s.patch(experimentsPath(w, 'freq'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status).toBe(200);
    const at = started.body.currentIteration.startedAt as number;
    const events: unknown[] = [];
    for (let u = 0; u < 200; u++) {
      const context = { kind: 'user', key: `unit-${u}` };
      events.push({ kind: 'feature', key: w.flag, creationDate: at, context, value: u % 2 === 0, variation: u % 2, version: 2, reason: { kind: 'FALLTHROUGH', inExperiment: true } });
      if (u % 10 === 0 || u % 10 === 1 || u % 10 === 7) events.push({ kind: 'custom', key: 'checkout', creationDate: at + 1, context });
      events.push({ kind: 'custom', key: 'purchase', creationDate: at + 1, context, metricValue: 10 + (u % 7) + 3 * (u % 2) });
    }
    const posted = await s.request('POST', '/bulk', { body: events, token: await sdkKeyOf(s, w.project) });
    expect(posted.status).toBe(202);
  }

  beforeAll(async () => {
    s = await startServer();
    for (const [name, analysisConfig] of Object.entries(CONFIGS)) await run(name as Name, { methodology: 'frequentist', analysisConfig });
    await run('bayesian', {});
    const w = worlds.get('plain')!;
    await run('group', { methodology: 'frequentist', analysisConfig: CONFIGS.bonferroni }, [{ key: w.metric }, { key: w.standardGroup, isGroup: true }]);
  });
  afterAll(() => s.close());

  it('a conversion metric: each mean with its confidence interval; Green against the baseline with its relative difference, interval and p-value', async () => {
    for (const name of ['plain', 'fraction'] as const) {
      const res = await results(name, worlds.get(name)!.metric);
      expect(res.status).toBe(200);
      const [control, green] = res.body.treatmentResults;
      expect(control).toMatchObject({ treatmentName: 'Control', units: 100, eventValuesSum: 20, dataMean: 0.2 });
      expect(control.mean).toBeCloseTo(0.2, 12);
      expect(control.confidenceInterval.lower).toBeCloseTo(0.12023147719909172, 9);
      expect(control.confidenceInterval.upper).toBeCloseTo(0.2797685228009083, 9);
      expect(control).not.toHaveProperty('pValue');
      expect(green.mean).toBeCloseTo(0.4, 12);
      expect(green.confidenceInterval.lower).toBeCloseTo(0.3023039108011046, 9);
      expect(green.relativeDifference).toBeCloseTo(1, 12);
      expect(green.pValue).toBeCloseTo(0.035188619404984016, 10);
      expect(green.significant).toBe(true);
      expect(green.relativeDifferences).toEqual([{ fromTreatmentId: control.treatmentId, lower: expect.closeTo(0.0701533379280267, 9), upper: expect.closeTo(1.9298466620719732, 9) }]);
      for (const treatment of [control, green]) {
        for (const bayesian of ['pBest', 'credibleInterval', 'model', 'bayesianBeta', 'distribution']) expect(treatment).not.toHaveProperty(bayesian);
      }
      expect(res.body.results[0].treatmentResults).toEqual(res.body.treatmentResults);
      expect(res.body.probabilityOfMismatch).toBeLessThan(0.5);
    }
  });

  it('a numeric metric: means, intervals and a tiny p-value', async () => {
    const [control, green] = (await results('plain', worlds.get('plain')!.numericMetric)).body.treatmentResults;
    expect(control.confidenceInterval.lower).toBeCloseTo(12.560241100502557, 8);
    expect(green.confidenceInterval.upper).toBeCloseTo(16.376823347215662, 8);
    expect(green.relativeDifference).toBeCloseTo(0.23302469135802464, 12);
    expect(Math.abs(green.pValue / 8.718279163363017e-18 - 1)).toBeLessThan(1e-6);
    expect(green.relativeDifferences[0].lower).toBeCloseTo(0.1844979738204399, 9);
  });

  it('Bonferroni over the metrics: twice the p-value and the 97.5% interval, so the conversion difference is no longer significant', async () => {
    const green = (await results('bonferroni', worlds.get('bonferroni')!.metric)).body.treatmentResults[1];
    expect(green.pValue).toBeCloseTo(2 * 0.035188619404984016, 10);
    expect(green.significant).toBe(false);
    expect(green.relativeDifferences[0].lower).toBeCloseTo(-0.06502931740958262, 9);
    expect(green.relativeDifferences[0].upper).toBeCloseTo(2.0650293174095826, 9);
  });

  it('Benjamini–Hochberg over variations and metrics: the family is both metrics, and the conversion difference stays significant', async () => {
    const w = worlds.get('bh')!;
    const conversion = (await results('bh', w.metric)).body.treatmentResults[1];
    // SciPy's false_discovery_control([0.035188…, 8.7e-18]).
    expect(conversion.pValue).toBeCloseTo(0.035188619404984016, 10);
    expect(conversion.significant).toBe(true);
    const revenue = (await results('bh', w.numericMetric)).body.treatmentResults[1];
    expect(Math.abs(revenue.pValue / 1.7436558326726034e-17 - 1)).toBeLessThan(1e-6);
  });

  it('one-sided: half the p-value, and only a lower bound on the difference', async () => {
    const green = (await results('oneSided', worlds.get('oneSided')!.metric)).body.treatmentResults[1];
    expect(green.pValue).toBeCloseTo(0.017594309702492008, 10);
    expect(green.relativeDifferences).toEqual([{ fromTreatmentId: expect.any(String), lower: expect.closeTo(0.22081707617297186, 9) }]);
  });

  it('sequential: the always-valid interval and p-value, far more cautious at 200 units', async () => {
    const green = (await results('sequential', worlds.get('sequential')!.metric)).body.treatmentResults[1];
    expect(green.relativeDifferences[0].lower).toBeCloseTo(-1.404144185662949, 9);
    expect(green.relativeDifferences[0].upper).toBeCloseTo(3.404144185662949, 9);
    expect(green.pValue).toBeCloseTo(0.6674420049111669, 9);
    expect(green.significant).toBe(false);
  });

  it('a metric group of a frequentist experiment: its members are in the family, and the group results are frequentist too', async () => {
    const w = worlds.get('group')!;
    const single = (await results('group', w.metric)).body.treatmentResults[1];
    expect(single.pValue).toBeCloseTo(2 * 0.035188619404984016, 10);
    const group = await s.get(`${experimentsPath(w, 'freq')}/metric-groups/${w.standardGroup}/results`);
    expect(group.status).toBe(200);
    const revenue = group.body.metrics[0].results.treatmentResults[1];
    expect(Math.abs(revenue.pValue / (2 * 8.718279163363017e-18) - 1)).toBeLessThan(1e-6);
    expect(revenue).not.toHaveProperty('pBest');
  });

  it('a Bayesian experiment (the default) keeps its Bayesian results', async () => {
    const [control, green] = (await results('bayesian', worlds.get('bayesian')!.metric)).body.treatmentResults;
    expect(control.pBest + green.pBest).toBeCloseTo(1, 12);
    expect(green).toHaveProperty('credibleInterval');
    expect(green).not.toHaveProperty('pValue');
  });
});
