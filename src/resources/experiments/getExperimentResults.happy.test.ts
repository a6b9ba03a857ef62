// Results end to end: the official SDK evaluates the experiment's flag for many units and tracks their conversions
// and purchases; the results count exactly the units it served and the events it sent, per treatment.
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from '../../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getExperimentResults and getExperimentResultsForMetricGroup', () => {
  let s: TestServer;
  let w: World;
  let client: LDClient;
  let iterationId: string;
  const served = new Map<boolean, number>();
  const converted = new Map<boolean, number>();
  /** Each unit's number of checkout events, by the variation its unit was served (a count metric's values). */
  const checkouts = new Map<boolean, number[]>();
  /** Conversions of the units in NZ only (a filtered metric's). */
  const convertedInNz = new Map<boolean, number>();
  const revenue = new Map<boolean, number>();
  /** Each purchase's value, by the variation its unit was served (one purchase a unit). */
  const purchases = new Map<boolean, number[]>();
  const results = (metric: string, query = '') => s.get(`${experimentsPath(w, 'checkout-exp')}/metrics/${metric}/results${query}`);
  /** Runs check with the metric analysed by that percentile (units without events left out), then by the mean again. */
  async function analysedByPercentile(metric: string, percentile: number, check: () => Promise<void>): Promise<void> {
    const path = `/api/v2/metrics/${w.project}/${metric}`;
    const asPercentile = await s.patch(path, [
      { op: 'replace', path: '/analysisType', value: 'percentile' },
      { op: 'add', path: '/percentileValue', value: percentile },
      { op: 'replace', path: '/eventDefault/disabled', value: true },
    ]);
    expect(asPercentile.status, JSON.stringify(asPercentile.body)).toBe(200);
    try {
      await check();
    } finally {
      const restored = await s.patch(path, [
        { op: 'remove', path: '/percentileValue' },
        { op: 'replace', path: '/analysisType', value: 'mean' },
        { op: 'replace', path: '/eventDefault/disabled', value: false },
      ]);
      expect(restored.status, JSON.stringify(restored.body)).toBe(200);
    }
  }

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    // A conversion count metric (LaunchDarkly's "Count": a conversion metric summed per unit) of the same events.
    const countMetric = await s.post(`/api/v2/metrics/${w.project}`, { key: 'checkouts', name: 'Checkouts', kind: 'custom', eventKey: 'checkout', isNumeric: false, unitAggregationType: 'sum' });
    expect(countMetric.status).toBe(201);
    // Results sliced by the units' country.
    const metrics = [{ key: w.metric }, { key: w.numericMetric, isGroup: false }, { key: 'checkouts' }];
    await createExperimentIn(s, w, 'checkout-exp', iterationBody(w, { attributes: ['country'], metrics }));
    const started = await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status).toBe(200);
    iterationId = started.body.currentIteration._id;
    client = sdkClient(s.url, await sdkKeyOf(s, w.project), { sendEvents: true, flushInterval: 3600, capacity: 100_000 });
    await client.waitForInitialization({ timeout: 10 });
    for (let i = 0; i < 300; i++) {
      const unit = { kind: 'user', key: `unit-${i}`, country: i % 4 === 0 ? 'NZ' : 'CA' };
      const value = (await client.variation(w.flag, unit, 'default')) as boolean;
      served.set(value, (served.get(value) ?? 0) + 1);
      // Units i % 3 === 0 check out twice (below), and those i % 21 === 0 once more, with a value a count metric does not read.
      checkouts.set(value, [...(checkouts.get(value) ?? []), i % 21 === 0 ? 3 : i % 3 === 0 ? 2 : 0]);
      if (i % 21 === 0) client.track('checkout', unit, undefined, 40);
      if (i % 3 === 0) {
        client.track('checkout', unit);
        client.track('checkout', unit);
        converted.set(value, (converted.get(value) ?? 0) + 1);
        if (unit.country === 'NZ') convertedInNz.set(value, (convertedInNz.get(value) ?? 0) + 1);
      }
      if (i % 5 === 0) {
        client.track('purchase', unit, undefined, i);
        revenue.set(value, (revenue.get(value) ?? 0) + i);
        purchases.set(value, [...(purchases.get(value) ?? []), i]);
      }
    }
    // Events of units never exposed do not count.
    client.track('checkout', { kind: 'user', key: 'not-in-experiment' });
    await client.flush();
  });
  afterAll(async () => {
    client.close();
    await s.close();
  });

  it('a conversion metric: per treatment, the units served and those that converted', async () => {
    const res = await results(w.metric, '?expand=traffic');
    expect(res.status).toBe(200);
    const [control, green] = res.body.treatmentResults;
    expect(control).toMatchObject({ treatmentName: 'Control', traffic: served.get(true), units: served.get(true), eventValuesSum: converted.get(true), model: 'bayesianBeta' });
    expect(green).toMatchObject({ treatmentName: 'Green', traffic: served.get(false), units: served.get(false), eventValuesSum: converted.get(false) });
    expect(control.dataMean).toBeCloseTo(converted.get(true)! / served.get(true)!, 12);
    expect(control.pBest + green.pBest).toBeCloseTo(1, 12);
    expect(control.credibleInterval.lower).toBeLessThan(control.mean);
    expect(control.credibleInterval.upper).toBeGreaterThan(control.mean);
    expect(control.relativeDifferences[0].fromTreatmentId).toBe(green.treatmentId);
    expect(res.body.results[0]).toEqual({ treatmentResults: res.body.treatmentResults });
    expect(res.body.metricSeen.ever).toBe(true);
    expect(res.body.probabilityOfMismatch).toBeGreaterThanOrEqual(0);
    expect(res.body.probabilityOfMismatch).toBeLessThanOrEqual(1);
    // The treatments are the iteration's.
    const experiment = await s.get(`${experimentsPath(w, 'checkout-exp')}?expand=treatments`);
    expect(res.body.treatmentResults.map((t: { treatmentId: string }) => t.treatmentId)).toEqual(experiment.body.currentIteration.treatments.map((t: { _id: string }) => t._id));
  });

  it('a conversion count metric (summed per unit): each unit\'s number of events, every exposed unit counted, the normal model', async () => {
    const res = await results('checkouts', '?expand=traffic');
    expect(res.status).toBe(200);
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const sd = (values: number[]) => Math.sqrt(values.reduce((a, b) => a + (b - mean(values)) ** 2, 0) / (values.length - 1));
    for (const [i, variation] of [true, false].entries()) {
      const counts = checkouts.get(variation)!;
      const result = res.body.treatmentResults[i];
      expect(result).toMatchObject({ traffic: counts.length, units: counts.length, eventValuesSum: counts.reduce((a, b) => a + b, 0), model: 'bayesianNormal' });
      expect(result.dataMean).toBeCloseTo(mean(counts), 12);
      expect(result.dataStdDev).toBeCloseTo(sd(counts), 12);
      expect(result.distribution).toEqual({ kind: 'normal', parameters: { mu: result.dataMean, sigma: expect.any(Number) } });
      expect(result.distribution.parameters.sigma).toBeCloseTo(sd(counts) / Math.sqrt(counts.length), 12);
    }
  });

  it('a count metric analysed by a percentile: that percentile of the counts of the units that sent events', async () => {
    await analysedByPercentile('checkouts', 86, async () => {
      const res = await results('checkouts');
      for (const [i, variation] of [true, false].entries()) {
        const counts = checkouts.get(variation)!.filter((n) => n > 0).sort((a, b) => a - b);
        const at = (counts.length - 1) * 0.86;
        const p86 = counts[Math.floor(at)] + (counts[Math.ceil(at)] - counts[Math.floor(at)]) * (at - Math.floor(at));
        expect(res.body.treatmentResults[i]).toMatchObject({ units: counts.length, eventValuesSum: counts.reduce((a, b) => a + b, 0), model: 'bayesianNormal' });
        expect(res.body.treatmentResults[i].mean).toBeCloseTo(p86, 9);
      }
    });
  });

  it('sliced by the iteration\'s attributes: one entry per value of each, whose units add up to all of them', async () => {
    const res = await results(w.metric, '?expand=traffic');
    const [all, ...sliced] = res.body.results;
    expect(sliced.map((r: { attribute: string; attributeValue: string }) => [r.attribute, r.attributeValue])).toEqual([
      ['country', 'CA'],
      ['country', 'NZ'],
    ]);
    for (const t of [0, 1]) {
      const total = sliced.reduce((sum: number, r: { treatmentResults: { traffic: number }[] }) => sum + r.treatmentResults[t].traffic, 0);
      expect(total).toBe(all.treatmentResults[t].traffic);
    }
    const nz = sliced[1].treatmentResults.reduce((sum: number, t: { traffic: number }) => sum + t.traffic, 0);
    expect(nz).toBe(75);
  });

  it('a numeric metric: each unit\'s values summed, units without a purchase at 0; traffic only when expanded', async () => {
    const res = await results(w.numericMetric);
    expect(res.status).toBe(200);
    const [control, green] = res.body.treatmentResults;
    expect(control).toMatchObject({ units: served.get(true), eventValuesSum: revenue.get(true), model: 'bayesianNormal' });
    expect(green).toMatchObject({ units: served.get(false), eventValuesSum: revenue.get(false) });
    expect(control.traffic).toBeUndefined();
    expect(control.distribution.kind).toBe('normal');
  });

  it("a winsorized numeric metric: each purchaser's value clamped at the median of all purchases; units without one stay at 0", async () => {
    const path = `/api/v2/metrics/${w.project}/${w.numericMetric}`;
    // LaunchDarkly winsorizes warehouse metrics only; iterlab feeds one from the events it receives.
    const winsorized = await s.patch(path, [
      { op: 'replace', path: '/dataSource', value: { key: 'snowflake' } },
      { op: 'add', path: '/winsorUpperPercentile', value: 50 },
    ]);
    expect(winsorized.status).toBe(200);
    try {
      // The purchases are 0, 5, ..., 295 (60 units): the median lies halfway between the 30th and 31st, 145 and 150.
      const capped = (values: number[] = []) => values.reduce((sum, v) => sum + Math.min(v, 147.5), 0);
      const [control, green] = (await results(w.numericMetric)).body.treatmentResults;
      expect(control).toMatchObject({ units: served.get(true), eventValuesSum: capped(purchases.get(true)) });
      expect(green).toMatchObject({ units: served.get(false), eventValuesSum: capped(purchases.get(false)) });
      expect(control.eventValuesSum).toBeLessThan(revenue.get(true)!);
    } finally {
      const restored = await s.patch(path, [
        { op: 'remove', path: '/winsorUpperPercentile' },
        { op: 'replace', path: '/dataSource', value: { key: 'launchdarkly' } },
      ]);
      expect(restored.status).toBe(200);
    }
    expect((await results(w.numericMetric)).body.treatmentResults[0].eventValuesSum).toBe(revenue.get(true));
  });

  it("a metric analysed by a percentile: each treatment's estimate is that percentile of its purchasers' values, not their mean", async () => {
    const median = (values: number[] = []) => {
      const sorted = [...values].sort((a, b) => a - b);
      const at = (sorted.length - 1) / 2;
      return (sorted[Math.floor(at)] + sorted[Math.ceil(at)]) / 2;
    };
    await analysedByPercentile(w.numericMetric, 50, async () => {
      const [control, green] = (await results(w.numericMetric)).body.treatmentResults;
      // Units without a purchase are left out (a percentile metric imputes nothing).
      expect(control).toMatchObject({ units: purchases.get(true)!.length, eventValuesSum: revenue.get(true), model: 'bayesianNormal' });
      expect(control.mean).toBeCloseTo(median(purchases.get(true)), 9);
      expect(green.mean).toBeCloseTo(median(purchases.get(false)), 9);
      expect(control.dataMean).toBeCloseTo(revenue.get(true)! / purchases.get(true)!.length, 9);
      expect(control.credibleInterval.lower).toBeLessThan(control.mean);
      expect(control.pBest + green.pBest).toBeCloseTo(1, 12);
    });
    expect((await results(w.numericMetric)).body.treatmentResults[0].units).toBe(served.get(true));
  });

  it('the same figures for the iteration named by iterationId, and every time', async () => {
    const first = await results(w.metric);
    expect((await results(w.metric, `?iterationId=${iterationId}`)).body).toEqual(first.body);
  });

  it("a metric's filters leave out the events they exclude (a context attribute of the events' context)", async () => {
    const path = `/api/v2/metrics/${w.project}/${w.metric}`;
    const filter = { type: 'contextAttribute', attribute: 'country', op: 'in', values: ['NZ'], contextKind: 'user', negate: false };
    expect((await s.patch(path, [{ op: 'add', path: '/filters', value: filter }])).status).toBe(200);
    try {
      const [control, green] = (await results(w.metric)).body.treatmentResults;
      expect(control).toMatchObject({ units: served.get(true), eventValuesSum: convertedInNz.get(true) });
      expect(green).toMatchObject({ units: served.get(false), eventValuesSum: convertedInNz.get(false) });
      expect((convertedInNz.get(true) ?? 0) + (convertedInNz.get(false) ?? 0)).toBeLessThan((converted.get(true) ?? 0) + (converted.get(false) ?? 0));
      // Negated: the others.
      expect((await s.patch(path, [{ op: 'replace', path: '/filters/negate', value: true }])).status).toBe(200);
      const [notNz] = (await results(w.metric)).body.treatmentResults;
      expect(notNz.eventValuesSum).toBe(converted.get(true)! - (convertedInNz.get(true) ?? 0));
    } finally {
      expect((await s.patch(path, [{ op: 'remove', path: '/filters' }])).status).toBe(200);
    }
    expect((await results(w.metric)).body.treatmentResults[0].eventValuesSum).toBe(converted.get(true));
  });

  it('404 for a metric not in the iteration, an unknown iteration or experiment', async () => {
    expect((await results('cart-viewed')).status).toBe(404);
    expect((await results(w.metric, '?iterationId=000000000000000000000000')).status).toBe(404);
    expect((await s.get(`${experimentsPath(w, 'nope')}/metrics/${w.metric}/results`)).status).toBe(404);
  });
});
