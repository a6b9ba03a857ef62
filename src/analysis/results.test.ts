// metricResults from hand-made exposures and events: assignment, counting windows, aggregation and the figures.
import { describe, expect, it } from 'vitest';
import { adjustFalseDiscoveries, assignUnits, countEvents, cuped, expectedShares, funnelEvents, metricResults, percentileEstimate, percentileOf, slices, summarize, type AnalysisInput, type Exposure, type MetricInput, type TreatmentResult } from './results.js';

const treatments = [
  { id: 'control', name: 'Control', variation: 0, allocation: 50 },
  { id: 'green', name: 'Green', variation: 1, allocation: 50 },
];
const conversion: MetricInput = { numeric: false, aggregation: 'sum', missingValue: 0, lowerIsBetter: false };
const revenue: MetricInput = { numeric: true, aggregation: 'sum', missingValue: 0, lowerIsBetter: false };

describe('assignUnits', () => {
  it('a unit belongs to the treatment of its first exposure; variations outside the treatments are ignored', () => {
    const units = assignUnits(
      [
        { unit: 'a', variation: 1, at: 20 },
        { unit: 'a', variation: 0, at: 10 },
        { unit: 'b', variation: 2, at: 5 },
        { unit: 'b', variation: 1, at: 30 },
      ],
      treatments,
    );
    expect([...units]).toEqual([
      ['a', { treatment: 0, at: 10 }],
      ['b', { treatment: 1, at: 30 }],
    ]);
  });
});

describe('metricResults', () => {
  it('conversions: units that converted from their exposure on; events before it or of unexposed units do not count', () => {
    const exposures = [
      { unit: 'a', variation: 0, at: 10 },
      { unit: 'b', variation: 0, at: 10 },
      { unit: 'c', variation: 1, at: 10 },
    ];
    const events = [
      { unit: 'a', at: 11, value: undefined },
      { unit: 'a', at: 12, value: undefined },
      { unit: 'b', at: 9, value: undefined },
      { unit: 'z', at: 11, value: undefined },
      { unit: 'c', at: 10, value: undefined },
    ];
    const out = metricResults(exposures, events, treatments, conversion);
    expect(out.treatmentResults.map((t) => [t.treatmentId, t.traffic, t.units, t.eventValuesSum, t.dataMean])).toEqual([
      ['control', 2, 2, 1, 0.5],
      ['green', 1, 1, 1, 1],
    ]);
    expect(out.treatmentResults[0].distribution).toEqual({ kind: 'beta', parameters: { alpha: 2, beta: 2 } });
    expect(out.treatmentResults[0].mean).toBeCloseTo(0.5, 12);
    expect(out.treatmentResults[0].model).toBe('bayesianBeta');
    expect(out.lastSeen).toBe(12);
    const pBest = out.treatmentResults.map((t) => t.pBest!);
    expect(pBest[0] + pBest[1]).toBeCloseTo(1, 12);
    expect(pBest[1]).toBeGreaterThan(pBest[0]);
  });

  it('numeric: a unit\'s values summed (or averaged), units without events at the metric\'s default, or left out', () => {
    const exposures = ['a', 'b', 'c', 'd'].map((unit, i) => ({ unit, variation: i % 2, at: 1 }));
    const events = [
      { unit: 'a', at: 2, value: 10 },
      { unit: 'a', at: 3, value: 20 },
      { unit: 'b', at: 2, value: 4 },
    ];
    const summed = metricResults(exposures, events, treatments, revenue);
    expect(summed.treatmentResults.map((t) => [t.units, t.eventValuesSum, t.dataMean])).toEqual([
      [2, 30, 15],
      [2, 4, 2],
    ]);
    expect(summed.treatmentResults[0].dataStdDev).toBeCloseTo(Math.sqrt(((30 - 15) ** 2 + (0 - 15) ** 2) / 1), 12);
    expect(summed.treatmentResults[0].distribution).toEqual({ kind: 'normal', parameters: { mu: 15, sigma: 15 } });
    const averaged = metricResults(exposures, events, treatments, { ...revenue, aggregation: 'average', missingValue: undefined });
    expect(averaged.treatmentResults.map((t) => [t.units, t.eventValuesSum, t.traffic])).toEqual([
      [1, 15, 2],
      [1, 4, 2],
    ]);
    // One value per treatment: no spread, so no posterior and no comparison.
    expect(averaged.treatmentResults[0].mean).toBeUndefined();
    expect(averaged.treatmentResults[0].pBest).toBeUndefined();
  });

  it('numeric: an event without a value measured nothing, so it is left out of its unit\'s sum and average', () => {
    const exposures = ['a', 'b', 'c', 'd'].map((unit, i) => ({ unit, variation: i % 2, at: 1 }));
    const events = [
      { unit: 'a', at: 2, value: 10 },
      { unit: 'a', at: 3, value: undefined },
      { unit: 'c', at: 2, value: undefined },
      { unit: 'b', at: 2, value: 4 },
    ];
    // Averaged: a's mean is 10, not 5; c, with no value at all, is a unit without events (left out here).
    const averaged = metricResults(exposures, events, treatments, { ...revenue, aggregation: 'average', missingValue: undefined });
    expect(averaged.treatmentResults.map((t) => [t.units, t.eventValuesSum, t.traffic])).toEqual([
      [1, 10, 2],
      [1, 4, 2],
    ]);
    // A count metric counts every event, with a value or not.
    const counted = metricResults(exposures, events, treatments, { ...revenue, count: true });
    expect(counted.treatmentResults.map((t) => t.eventValuesSum)).toEqual([3, 1]);
  });

  it('lower is better: the lowest mean is the likely best', () => {
    const exposures = Array.from({ length: 400 }, (_, i) => ({ unit: `u${i}`, variation: i % 2, at: 0 }));
    const events = exposures.filter((e, i) => (e.variation === 0 ? i % 4 === 0 : i % 8 === 1)).map((e) => ({ unit: e.unit, at: 1, value: undefined }));
    const higher = metricResults(exposures, events, treatments, conversion);
    const lower = metricResults(exposures, events, treatments, { ...conversion, lowerIsBetter: true });
    expect(higher.treatmentResults[0].pBest).toBeGreaterThan(0.9);
    expect(lower.treatmentResults[1].pBest).toBeGreaterThan(0.9);
    // The relative difference is of the means either way: control converts about twice as often.
    expect(lower.treatmentResults[0].relativeDifferences).toEqual(higher.treatmentResults[0].relativeDifferences);
    expect(higher.treatmentResults[0].relativeDifferences![0].fromTreatmentId).toBe('green');
    expect(higher.treatmentResults[0].relativeDifferences![0].lower).toBeGreaterThan(0.3);
  });

  it('a sample ratio far from the allocation is a likely mismatch', () => {
    const skewed = [...Array.from({ length: 600 }, (_, i) => ({ unit: `a${i}`, variation: 0, at: 0 })), ...Array.from({ length: 400 }, (_, i) => ({ unit: `b${i}`, variation: 1, at: 0 }))];
    expect(metricResults(skewed, [], treatments, conversion).probabilityOfMismatch).toBeGreaterThan(0.99);
    const even = [...Array.from({ length: 500 }, (_, i) => ({ unit: `a${i}`, variation: 0, at: 0 })), ...Array.from({ length: 505 }, (_, i) => ({ unit: `b${i}`, variation: 1, at: 0 }))];
    expect(metricResults(even, [], treatments, conversion).probabilityOfMismatch).toBeLessThan(0.05);
  });

  it("a bandit's sample ratio is judged against its shares when each unit came, not its latest ones", () => {
    // 500 units at 50/50 before time 100, then 1,000 at 20/80: 700 control, 800 green in all.
    const arrivals = (count: number, variation: number, at: number, prefix: string) => Array.from({ length: count }, (_, i) => ({ unit: `${prefix}${i}`, variation, at }));
    const exposures = [...arrivals(250, 0, 0, 'a'), ...arrivals(250, 1, 0, 'b'), ...arrivals(200, 0, 100, 'c'), ...arrivals(800, 1, 100, 'd')];
    const moved = [
      { ...treatments[0], allocation: 20, allocationSince: [{ from: 0, allocation: 50 }, { from: 100, allocation: 20 }] },
      { ...treatments[1], allocation: 80, allocationSince: [{ from: 0, allocation: 50 }, { from: 100, allocation: 80 }] },
    ];
    const [control, green] = expectedShares(assignUnits(exposures, moved), moved);
    expect(control).toBeCloseTo(450, 9);
    expect(green).toBeCloseTo(1050, 9);
    expect(metricResults(exposures, [], moved, conversion).probabilityOfMismatch).toBeLessThan(0.05);
    // Against the latest shares alone (20/80 for all 1,500 units) the same units look like a mismatch.
    const latest = moved.map(({ allocationSince: _, ...t }) => t);
    expect(metricResults(exposures, [], latest, conversion).probabilityOfMismatch).toBeGreaterThan(0.99);
    // And units that did not follow the shares are one.
    const ignored = [...arrivals(250, 0, 0, 'a'), ...arrivals(250, 1, 0, 'b'), ...arrivals(500, 0, 100, 'c'), ...arrivals(500, 1, 100, 'd')];
    expect(metricResults(ignored, [], moved, conversion).probabilityOfMismatch).toBeGreaterThan(0.99);
  });

  it('no exposures: zero traffic, the prior, nothing seen', () => {
    const out = metricResults([], [], treatments, conversion);
    expect(out.treatmentResults.map((t) => [t.traffic, t.units])).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(out.lastSeen).toBeUndefined();
    expect(out.probabilityOfMismatch).toBe(0);
  });
});

describe('funnelEvents', () => {
  it('a step counts from the previous step\'s first conversion: skipped or out-of-order steps convert nothing later', () => {
    const exposures = ['a', 'b', 'c'].map((unit) => ({ unit, variation: 0, at: 10 }));
    const step1 = [
      { unit: 'a', at: 20, value: undefined },
      { unit: 'c', at: 40, value: undefined },
      { unit: 'b', at: 5, value: undefined },
    ];
    const step2 = [
      { unit: 'a', at: 30, value: undefined },
      { unit: 'b', at: 30, value: undefined },
      { unit: 'c', at: 35, value: undefined },
    ];
    const [first, second] = funnelEvents(assignUnits(exposures, treatments), [step1, step2]);
    // b's step-1 event came before its exposure; c's step 2 came before its step 1.
    expect(first.map((e) => e.unit)).toEqual(['a', 'c']);
    expect(second.map((e) => e.unit)).toEqual(['a']);
  });
});

describe('slices', () => {
  it('units by the attribute value of their first exposure, values in order; units without one in no slice', () => {
    const exposures: Exposure[] = [
      { unit: 'a', variation: 0, at: 2, attributes: { country: 'NZ' } },
      { unit: 'a', variation: 0, at: 1, attributes: { country: 'CA' } },
      { unit: 'b', variation: 1, at: 1, attributes: { country: 'NZ' } },
      { unit: 'c', variation: 1, at: 1, attributes: {} },
      { unit: 'd', variation: 9, at: 1, attributes: { country: 'AU' } },
    ];
    expect(slices(assignUnits(exposures, treatments), 'country').map(([value, units]) => [value, [...units.keys()]])).toEqual([
      ['CA', ['a']],
      ['NZ', ['b']],
    ]);
  });
});

describe('cuped', () => {
  it('one slope for all treatments; adjusted values keep each mean where the covariates balance, and lose the part they predict', () => {
    // Values are twice the covariate, plus 1 in the second treatment: the covariate explains all of their spread.
    const adjusted = cuped(
      [
        [2, 4, 6, 8],
        [3, 5, 7, 9],
      ],
      [
        [1, 2, 3, 4],
        [1, 2, 3, 4],
      ],
    )!;
    expect(adjusted.theta).toBeCloseTo(2, 12);
    expect(adjusted.values).toEqual([
      [5, 5, 5, 5],
      [6, 6, 6, 6],
    ]);
    expect(adjusted.diagnostics[0]).toEqual({ covariateImbalance: 0, correlation: expect.closeTo(1, 12), standardDeviationRatio: expect.closeTo(2, 12), varianceReduction: 1 });
  });

  it('a treatment whose covariates run high is moved down by what they predict (covariateImbalance in standard deviations)', () => {
    const adjusted = cuped(
      [
        [1, 3],
        [5, 7],
      ],
      [
        [0, 1],
        [2, 3],
      ],
    )!;
    // Slope 2 within each treatment; the covariates' mean is 1.5 and their standard deviation sqrt(5/3).
    expect(adjusted.values).toEqual([
      [4, 4],
      [4, 4],
    ]);
    expect(adjusted.diagnostics[1].covariateImbalance).toBeCloseTo(1 / Math.sqrt(5 / 3), 12);
    expect(adjusted.diagnostics[0].covariateImbalance).toBeCloseTo(-1 / Math.sqrt(5 / 3), 12);
  });

  it('nothing to adjust by: covariates that do not vary within any treatment', () => {
    expect(cuped([[1, 2, 3], [4, 5]], [[0, 0, 0], [7, 7]])).toBeUndefined();
  });

  it('summarize with covariates: the same data means, a narrower interval, and the diagnostics beside them', () => {
    const units = new Map<string, { treatment: number; at: number }>();
    const events: { unit: string; at: number; value: number }[] = [];
    const covariates = new Map<string, number>();
    // A unit's value is its covariate plus noise the covariate does not predict, plus 3 in the second treatment.
    let seed = 7;
    const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 2;
    for (let i = 0; i < 400; i++) {
      const treatment = i % 2;
      const before = 10 + (i % 17) * 3;
      units.set(`u${i}`, { treatment, at: 1 });
      covariates.set(`u${i}`, before);
      events.push({ unit: `u${i}`, at: 2, value: before + noise() + 3 * treatment });
    }
    const counted = countEvents(units, events, revenue);
    const plain = summarize(units, counted, treatments, revenue);
    const adjusted = summarize(units, counted, treatments, revenue, covariates);
    const width = (r: typeof plain, i: number) => r.treatmentResults[i].credibleInterval!.upper - r.treatmentResults[i].credibleInterval!.lower;
    for (const i of [0, 1]) {
      expect(adjusted.treatmentResults[i].dataMean).toBe(plain.treatmentResults[i].dataMean);
      expect(width(adjusted, i)).toBeLessThan(width(plain, i) / 10);
      expect(adjusted.treatmentResults[i].varianceReduction).toBeGreaterThan(0.99);
      expect(adjusted.treatmentResults[i].correlation).toBeGreaterThan(0.99);
      expect(plain.treatmentResults[i].varianceReduction).toBeUndefined();
    }
    expect(adjusted.treatmentResults[1].mean! - adjusted.treatmentResults[0].mean!).toBeCloseTo(3, 0);
    expect(adjusted.treatmentResults[1].pBest).toBe(1);
    expect(adjusted.treatmentResults[1].relativeDifferences![0]).toMatchObject({ fromTreatmentId: 'control', varianceReduction: expect.any(Number) });
    expect(adjusted.treatmentResults[1].relativeDifferences![0].varianceReduction).toBeGreaterThan(0.99);
  });

  it('conversions are not adjusted', () => {
    const units = new Map([['a', { treatment: 0, at: 1 }], ['b', { treatment: 1, at: 1 }]]);
    const counted = countEvents(units, [{ unit: 'a', at: 2, value: undefined }], conversion);
    const result = summarize(units, counted, treatments, conversion, new Map([['a', 1], ['b', 5]]));
    expect(result.treatmentResults[0].varianceReduction).toBeUndefined();
  });
});

describe('summarize, frequentist', () => {
  const frequentist: AnalysisInput = { methodology: 'frequentist', alpha: 0.05, oneSided: false, sequential: false, comparisons: 1 };
  // Three treatments, the baseline in the middle: 100 units each; conversions at 20%, 20% and 40%.
  const three = [
    { id: 'a', name: 'A', variation: 0, allocation: 34 },
    { id: 'b', name: 'B', variation: 1, allocation: 33, baseline: true },
    { id: 'c', name: 'C', variation: 2, allocation: 33 },
  ];
  const units = new Map<string, { treatment: number; at: number }>();
  const events: { unit: string; at: number; value: undefined }[] = [];
  for (let i = 0; i < 300; i++) {
    const treatment = i % 3;
    units.set(`u${i}`, { treatment, at: 1 });
    const converts = treatment === 2 ? Math.floor(i / 3) % 5 < 2 : Math.floor(i / 3) % 5 === 0;
    if (converts) events.push({ unit: `u${i}`, at: 2, value: undefined });
  }
  const counted = countEvents(units, events, conversion);

  it('each treatment against the marked baseline: its mean and interval, the difference, p-value and significance; no Bayesian fields', () => {
    const [a, b, c] = summarize(units, counted, three, conversion, undefined, frequentist).treatmentResults;
    expect(b).not.toHaveProperty('pValue');
    expect(b).not.toHaveProperty('relativeDifferences');
    expect(b.mean).toBeCloseTo(0.2, 12);
    expect(b.confidenceInterval!.lower).toBeLessThan(0.2);
    for (const r of [a, b, c]) {
      expect(r).not.toHaveProperty('pBest');
      expect(r).not.toHaveProperty('credibleInterval');
      expect(r).not.toHaveProperty('model');
      expect(r).not.toHaveProperty('distribution');
    }
    expect(a.relativeDifference).toBeCloseTo(0, 12);
    expect(a.pValue).toBeCloseTo(1, 12);
    expect(a.significant).toBe(false);
    // The same figures as SciPy's for 40 of 100 against 20 of 100 (see frequentist.test.ts for the formulas).
    expect(c.relativeDifference).toBeCloseTo(1, 12);
    expect(c.pValue).toBeCloseTo(0.035188619404984016, 10);
    expect(c.significant).toBe(true);
    expect(c.relativeDifferences).toEqual([{ fromTreatmentId: 'b', lower: expect.any(Number), upper: expect.any(Number) }]);
  });

  it('Bonferroni: the p-value times the family size, and a wider interval', () => {
    const plain = summarize(units, counted, three, conversion, undefined, frequentist).treatmentResults[2];
    const corrected = summarize(units, counted, three, conversion, undefined, { ...frequentist, comparisons: 2 }).treatmentResults[2];
    expect(corrected.pValue).toBeCloseTo(2 * plain.pValue!, 12);
    expect(corrected.relativeDifferences![0].lower!).toBeLessThan(plain.relativeDifferences![0].lower!);
  });

  it('one-sided: half the two-sided p-value for an improvement, and only the lower bound', () => {
    const two = summarize(units, counted, three, conversion, undefined, frequentist).treatmentResults[2];
    const one = summarize(units, counted, three, conversion, undefined, { ...frequentist, oneSided: true }).treatmentResults[2];
    expect(one.pValue).toBeCloseTo(two.pValue! / 2, 12);
    expect(one.relativeDifferences![0]).not.toHaveProperty('upper');
    // For a lower-is-better metric the same rise is no improvement.
    const lower = summarize(units, counted, three, { ...conversion, lowerIsBetter: true }, undefined, { ...frequentist, oneSided: true }).treatmentResults[2];
    expect(lower.pValue).toBeCloseTo(1 - 0.035188619404984016 / 2, 10);
    expect(lower.significant).toBe(false);
  });

  it('adjustFalseDiscoveries: Benjamini–Hochberg over the scope\'s family', () => {
    const result = (treatmentId: string, pValue: number): TreatmentResult => ({ treatmentId, treatmentName: treatmentId, units: 1, traffic: 1, eventValuesSum: 0, pValue, significant: pValue < 0.05 });
    const sets = () => [
      [result('base', NaN), result('x', 0.01), result('y', 0.04)],
      [result('base', NaN), result('x', 0.03), result('y', 0.005)],
    ].map((set) => set.map((r) => (r.treatmentId === 'base' ? { ...r, pValue: undefined, significant: undefined } : r)));
    const byVariations = sets();
    adjustFalseDiscoveries(byVariations, 'variations', 0.05);
    expect(byVariations.map((set) => set.map((r) => r.pValue))).toEqual([[undefined, 0.02, 0.04], [undefined, 0.03, 0.01]]);
    const byMetrics = sets();
    adjustFalseDiscoveries(byMetrics, 'metrics', 0.05);
    expect(byMetrics.map((set) => set.map((r) => r.pValue))).toEqual([[undefined, 0.02, 0.04], [undefined, 0.03, 0.01]]);
    const all = sets();
    adjustFalseDiscoveries(all, 'variations-and-metrics', 0.05);
    expect(all.flat().map((r) => r.pValue)).toEqual([undefined, 0.02, 0.04, undefined, 0.04, 0.02]);
    expect(all.flat().map((r) => r.significant)).toEqual([undefined, true, true, undefined, true, true]);
  });
});

describe('winsorization', () => {
  // Ten units with one event each, values 1..10 (odd units in control), and two units that sent nothing.
  const exposures: Exposure[] = [...Array(12).keys()].map((i) => ({ unit: `u${i + 1}`, variation: i % 2, at: 1, attributes: { plan: i < 6 ? 'free' : 'pro' } }));
  const events = [...Array(10).keys()].map((i) => ({ unit: `u${i + 1}`, at: 2, value: i + 1 }));
  const units = assignUnits(exposures, treatments);

  it('percentileOf interpolates between the closest ranks, as numpy and R do by default', () => {
    expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 10)).toBeCloseTo(1.9, 12);
    expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBeCloseTo(9.1, 12);
    expect(percentileOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 50)).toBeCloseTo(5.5, 12);
    expect(percentileOf([7], 99)).toBe(7);
  });

  it("clamps each unit's value at the percentiles of the units that sent events; imputed zeros stay as they are", () => {
    const metric: MetricInput = { ...revenue, winsor: { lowerPercentile: 10, upperPercentile: 90, includeImputed: false } };
    const counted = countEvents(units, events, metric);
    expect(counted.clamp).toEqual({ lower: expect.closeTo(1.9, 12), upper: expect.closeTo(9.1, 12), imputed: false });
    const out = summarize(units, counted, treatments, metric);
    // Control: 1.9 (was 1), 3, 5, 7, 9 and u11's imputed 0; green: 2, 4, 6, 8, 9.1 (was 10) and u12's 0.
    expect(out.treatmentResults[0].eventValuesSum).toBeCloseTo(25.9, 12);
    expect(out.treatmentResults[1].eventValuesSum).toBeCloseTo(29.1, 12);
    expect(out.treatmentResults.map((t) => t.units)).toEqual([6, 6]);
  });

  it('with includeImputed, the imputed values count towards the bounds and are clamped too', () => {
    const metric: MetricInput = { ...revenue, winsor: { lowerPercentile: 25, includeImputed: true } };
    const counted = countEvents(units, events, metric);
    // Values 0, 0, 1..10: the 25th percentile is at rank 2.75, between 1 and 2.
    expect(counted.clamp).toEqual({ lower: expect.closeTo(1.75, 12), upper: undefined, imputed: true });
    const out = summarize(units, counted, treatments, metric);
    expect(out.treatmentResults[0].eventValuesSum).toBeCloseTo(1.75 + 3 + 5 + 7 + 9 + 1.75, 12);
    expect(out.treatmentResults[1].eventValuesSum).toBeCloseTo(2 + 4 + 6 + 8 + 10 + 1.75, 12);
  });

  it("a slice is clamped at the whole iteration's bounds, and a metric without winsorization is not clamped", () => {
    const metric: MetricInput = { ...revenue, winsor: { upperPercentile: 50, includeImputed: false } };
    const counted = countEvents(units, events, metric);
    const [, pro] = slices(units, 'plan').find(([value]) => value === 'pro')!;
    // pro: u7..u12, values 7..10 and two imputed zeros; the bound (5.5) is the iteration's, not the slice's.
    const sliced = summarize(pro, counted, treatments, metric);
    expect(sliced.treatmentResults.map((t) => t.eventValuesSum)).toEqual([5.5 + 5.5, 5.5 + 5.5]);
    expect(countEvents(units, events, revenue).clamp).toBeUndefined();
    expect(countEvents(units, events, { ...conversion, winsor: { upperPercentile: 50, includeImputed: false } }).clamp).toBeUndefined();
  });
});

describe('metrics analysed by a percentile', () => {
  // Control's units 1..100; green's 91 small values (0.2..18.2) and nine of 10,000: green's mean is far higher, its
  // median far lower.
  const values = [[...Array(100).keys()].map((i) => i + 1), [...[...Array(91).keys()].map((i) => 0.2 * (i + 1)), ...Array(9).fill(10_000)]];
  const exposures: Exposure[] = values.flatMap((vs, treatment) => vs.map((_, k) => ({ unit: `t${treatment}u${k}`, variation: treatment, at: 1 })));
  const events = values.flatMap((vs, treatment) => vs.map((value, k) => ({ unit: `t${treatment}u${k}`, at: 2, value })));
  const latency: MetricInput = { numeric: true, aggregation: 'average', missingValue: undefined, lowerIsBetter: false, percentile: 50 };

  it('percentileEstimate: the interpolated percentile, and a standard error from the order statistics that bound it', () => {
    const oneToHundred = [...Array(100).keys()].map((i) => 100 - i);
    // p90 of 1..100: rank 89.1 (0-based) -> 90.1. Its 95% ranks 90 ± 1.96·3: the 84th and 96th values.
    const found = percentileEstimate(oneToHundred, 90)!;
    expect(found.estimate).toBeCloseTo(90.1, 12);
    expect(found.standardError).toBeCloseTo((96 - 84) / (2 * 1.959963984540054), 6);
    expect(percentileEstimate([7], 90)).toBeUndefined();
  });

  it("Bayesian: each treatment's posterior is of its percentile, not its mean; the data's mean is still shown", () => {
    const [control, green] = metricResults(exposures, events, treatments, latency).treatmentResults;
    expect(control.mean).toBeCloseTo(50.5, 12);
    expect(green.mean).toBeCloseTo(10.1, 12);
    expect(green.dataMean).toBeCloseTo((0.2 * (91 * 92) / 2 + 90_000) / 100, 9);
    expect(green.distribution).toEqual({ kind: 'normal', parameters: { mu: green.mean, sigma: expect.any(Number) } });
    expect(green.credibleInterval!.lower).toBeLessThan(10.1);
    expect(green.credibleInterval!.upper).toBeGreaterThan(10.1);
    // Higher is better and control's median is higher: control is best, though green's mean is eighteen times its.
    expect(control.pBest).toBeGreaterThan(0.99);
    const asMeans = metricResults(exposures, events, treatments, { ...latency, percentile: undefined }).treatmentResults;
    expect(asMeans[1].pBest).toBeGreaterThan(0.5);
  });

  it('frequentist: the percentiles are compared, the difference relative to the baseline\'s percentile', () => {
    const frequentist: AnalysisInput = { methodology: 'frequentist', alpha: 0.05, oneSided: false, sequential: false, comparisons: 1 };
    const units = assignUnits(exposures, treatments);
    const [control, green] = summarize(units, countEvents(units, events, latency), treatments, latency, undefined, frequentist).treatmentResults;
    expect(control.mean).toBeCloseTo(50.5, 12);
    expect(green.mean).toBeCloseTo(10.1, 12);
    expect(green.relativeDifference).toBeCloseTo((10.1 - 50.5) / 50.5, 12);
    expect(green.significant).toBe(true);
    expect(control.confidenceInterval!.lower).toBeLessThan(50.5);
  });
});
