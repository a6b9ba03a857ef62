// CUPED in results: a numeric metric's events from the 14 days before the iteration started are each unit's
// covariate; they narrow the treatments' intervals and the response says by how much. Conversions are left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const DAY = 24 * 60 * 60 * 1000;

describe('getExperimentResults with pre-experiment data (CUPED)', () => {
  let s: TestServer;
  let w: World;
  const results = (metric: string) => s.get(`${experimentsPath(w, 'checkout-exp')}/metrics/${metric}/results`);

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createExperimentIn(s, w);
    const started = await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status).toBe(200);
    const at = started.body.currentIteration.startedAt as number;
    const context = (u: number) => ({ kind: 'user', key: `unit-${u}` });
    const events: unknown[] = [];
    for (let u = 0; u < 200; u++) {
      // What each unit spent in the week before the iteration: most of what it spends during it.
      const habit = 10 + (u % 13) * 5;
      events.push({ kind: 'custom', key: 'purchase', creationDate: at - 7 * DAY, context: context(u), metricValue: habit });
      // Twenty days before is outside the covariate's 14 days.
      events.push({ kind: 'custom', key: 'purchase', creationDate: at - 20 * DAY, context: context(u), metricValue: 1000 * ((u >> 1) % 2) });
      events.push({ kind: 'feature', key: w.flag, creationDate: at, context: context(u), value: u % 2 === 0, variation: u % 2, version: 2, reason: { kind: 'FALLTHROUGH', inExperiment: true } });
      events.push({ kind: 'custom', key: 'purchase', creationDate: at + 1, context: context(u), metricValue: habit + (u % 3) + 2 * (u % 2) });
      if (u % 4 === 0) events.push({ kind: 'custom', key: 'checkout', creationDate: at + 1, context: context(u) });
    }
    const posted = await s.request('POST', '/bulk', { body: events, token: await sdkKeyOf(s, w.project) });
    expect(posted.status).toBe(202);
  });
  afterAll(() => s.close());

  it('a numeric metric: data means as spent during the iteration, posteriors adjusted by the week before, and the diagnostics', async () => {
    const res = await results(w.numericMetric);
    expect(res.status).toBe(200);
    const [control, green] = res.body.treatmentResults;
    const spent = (parity: number) => {
      const units = Array.from({ length: 200 }, (_, u) => u).filter((u) => u % 2 === parity);
      return units.reduce((sum, u) => sum + 10 + (u % 13) * 5 + (u % 3) + 2 * parity, 0) / units.length;
    };
    expect(control.dataMean).toBeCloseTo(spent(0), 9);
    expect(green.dataMean).toBeCloseTo(spent(1), 9);
    for (const treatment of [control, green]) {
      expect(treatment.varianceReduction).toBeGreaterThan(0.9);
      expect(treatment.correlation).toBeGreaterThan(0.9);
      expect(treatment.standardDeviationRatio).toBeGreaterThan(0);
      expect(Math.abs(treatment.covariateImbalance)).toBeLessThan(0.2);
      // The adjusted interval is far narrower than the data's spread would give.
      expect(treatment.credibleInterval.upper - treatment.credibleInterval.lower).toBeLessThan((2 * 1.645 * treatment.dataStdDev) / Math.sqrt(100) / 3);
    }
    expect(green.relativeDifferences[0]).toMatchObject({ fromTreatmentId: control.treatmentId, varianceReduction: expect.any(Number) });
    expect(green.relativeDifferences[0].varianceReduction).toBeGreaterThan(0.9);
  });

  it('a conversion metric is not adjusted', async () => {
    const res = await results(w.metric);
    expect(res.status).toBe(200);
    for (const treatment of res.body.treatmentResults) {
      expect(treatment.model).toBe('bayesianBeta');
      expect(treatment).not.toHaveProperty('varianceReduction');
      expect(treatment).not.toHaveProperty('correlation');
    }
  });

  // Last: it turns the numeric metric into a percentile one.
  it('a metric analysed by a percentile is not adjusted (the metric as it is now says so: the iteration pins no analysis type)', async () => {
    const patched = await s.patch(`/api/v2/metrics/${w.project}/${w.numericMetric}`, [
      { op: 'replace', path: '/analysisType', value: 'percentile' },
      { op: 'add', path: '/percentileValue', value: 90 },
      { op: 'replace', path: '/eventDefault/disabled', value: true },
    ]);
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    const res = await results(w.numericMetric);
    expect(res.status).toBe(200);
    for (const treatment of res.body.treatmentResults) {
      expect(treatment.model).toBe('bayesianNormal');
      expect(treatment).not.toHaveProperty('varianceReduction');
      expect(treatment).not.toHaveProperty('correlation');
    }
  });
});
