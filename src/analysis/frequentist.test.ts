// The frequentist statistics against an independent implementation (SciPy 1.17: scipy.stats.t, and the delta-method
// formulas written out in NumPy; false_discovery_control for Benjamini–Hochberg), and by simulation: p-values of
// A/A tests are uniform, intervals cover the truth at their level, and sequential p-values stay valid under peeking.
import { describe, expect, it } from 'vitest';
import { random } from './bayesian.js';
import { benjaminiHochberg, bonferroni, compareToBaseline, meanInterval, tQuantileUpper, tUpperTail, type Arm, type FrequentistOptions } from './frequentist.js';

const armOf = (values: number[]): Arm => {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  return { n, mean, variance: values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) };
};
const TWO_SIDED: FrequentistOptions = { alpha: 0.05, direction: 'two-sided', sequential: false };

function normals(seed: number): () => number {
  const next = random(seed);
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

describe("Student's t", () => {
  it('upper tails match SciPy to 1e-9 relative, fractional degrees of freedom included', () => {
    const cases: [number, number, number][] = [
      [2.0, 10, 3.669401738537018e-2],
      [1.96, 1e6, 2.499803379263493e-2],
      [3.5, 4.5, 1.027084498469279e-2],
      [-1.2, 7.3, 8.661846667241719e-1],
      [6, 25, 1.442663829449429e-6],
    ];
    for (const [t, df, expected] of cases) expect(Math.abs(tUpperTail(t, df) / expected - 1)).toBeLessThan(1e-9);
  });

  it('quantiles match SciPy (t.isf) to 1e-9 relative', () => {
    const cases: [number, number, number][] = [
      [0.025, 10, 2.228138851986275],
      [0.05, 3.7, 2.182493803914602],
      [0.005, 120, 2.617421145106866],
      [1e-6, 40, 5.553969751815039],
    ];
    for (const [p, df, expected] of cases) expect(Math.abs(tQuantileUpper(p, df) / expected - 1)).toBeLessThan(1e-9);
    expect(tQuantileUpper(0.5, 3)).toBe(0);
    expect(tQuantileUpper(0.975, 10)).toBeCloseTo(-2.228138851986275, 9);
  });
});

describe('compareToBaseline', () => {
  const treatment = armOf([3, 5, 4, 6, 7, 5, 4, 6, 5, 8]);
  const baseline = armOf([2, 4, 3, 5, 4, 3, 4, 2, 5, 3]);

  it("two-sided, fixed horizon: the relative difference, Welch's p-value and interval as SciPy computes them", () => {
    const out = compareToBaseline(treatment, baseline, TWO_SIDED)!;
    expect(out.estimate).toBeCloseTo(0.5142857142857142, 12);
    expect(out.pValue).toBeCloseTo(0.020314008881490268, 10);
    expect(out.interval.lower).toBeCloseTo(0.09074726011236289, 9);
    expect(out.interval.upper).toBeCloseTo(0.9378241684590656, 9);
  });

  it('one-sided for a lower-is-better metric: a rise is no evidence, and only the upper bound is given', () => {
    const out = compareToBaseline(treatment, baseline, { ...TWO_SIDED, direction: 'lower' })!;
    expect(out.pValue).toBeCloseTo(0.9898429955592548, 10);
    expect(out.interval).toEqual({ upper: expect.closeTo(0.8632620694514772, 9) });
    const higher = compareToBaseline(treatment, baseline, { ...TWO_SIDED, direction: 'higher' })!;
    expect(higher.pValue).toBeCloseTo(0.020314008881490268 / 2, 10);
    expect(Object.keys(higher.interval)).toEqual(['lower']);
  });

  it("sequential: GrowthBook's confidence sequence and always-valid p-value, wider than the fixed-horizon ones", () => {
    const out = compareToBaseline(treatment, baseline, { ...TWO_SIDED, sequential: true })!;
    expect(out.interval.lower).toBeCloseTo(-2.2863507957719107, 9);
    expect(out.interval.upper).toBeCloseTo(3.314922224343339, 9);
    expect(out.pValue).toBeCloseTo(0.9176683402487966, 9);
  });

  it('the p-value is below α exactly when the interval excludes 0, in every mode', () => {
    const next = normals(7);
    for (let k = 0; k < 200; k++) {
      const shift = (k % 10) * 0.08;
      const t = armOf(Array.from({ length: 40 + k }, () => 10 + shift + next()));
      const b = armOf(Array.from({ length: 40 + k }, () => 10 + next()));
      for (const options of [TWO_SIDED, { ...TWO_SIDED, sequential: true }, { ...TWO_SIDED, direction: 'higher' as const }, { ...TWO_SIDED, direction: 'higher' as const, sequential: true }]) {
        const out = compareToBaseline(t, b, options)!;
        const excludes = (out.interval.lower ?? -Infinity) > 0 || (out.interval.upper ?? Infinity) < 0;
        expect(out.pValue < options.alpha, JSON.stringify({ k, options, out })).toBe(excludes);
      }
    }
  });

  it('nothing to test: too few units, a zero baseline mean, or no variance', () => {
    expect(compareToBaseline({ n: 1, mean: 2, variance: 0 }, baseline, TWO_SIDED)).toBeUndefined();
    expect(compareToBaseline(treatment, { n: 10, mean: 0, variance: 1 }, TWO_SIDED)).toBeUndefined();
    expect(compareToBaseline({ n: 10, mean: 1, variance: 0 }, { n: 10, mean: 1, variance: 0 }, TWO_SIDED)).toBeUndefined();
  });
});

describe('by simulation', () => {
  it('A/A tests: about α of fixed-horizon p-values fall below α, and 95% intervals cover the true mean about 95% of the time', () => {
    const next = normals(11);
    let rejected = 0;
    let covered = 0;
    const runs = 2000;
    for (let r = 0; r < runs; r++) {
      const a = Array.from({ length: 60 }, () => 5 + next());
      const b = Array.from({ length: 60 }, () => 5 + next());
      if (compareToBaseline(armOf(a), armOf(b), TWO_SIDED)!.pValue < 0.05) rejected++;
      const interval = meanInterval(armOf(a), { alpha: 0.05, sequential: false })!;
      if (interval.lower! <= 5 && 5 <= interval.upper!) covered++;
    }
    expect(rejected / runs).toBeGreaterThan(0.035);
    expect(rejected / runs).toBeLessThan(0.065);
    expect(covered / runs).toBeGreaterThan(0.935);
    expect(covered / runs).toBeLessThan(0.965);
  });

  it('peeking at an A/A test 20 times: fixed-horizon p-values cross α far more often than α; sequential ones do not', () => {
    const next = normals(23);
    const runs = 300;
    let fixedEver = 0;
    let sequentialEver = 0;
    for (let r = 0; r < runs; r++) {
      const a: number[] = [];
      const b: number[] = [];
      let fixed = false;
      let sequential = false;
      for (let look = 0; look < 20; look++) {
        for (let i = 0; i < 100; i++) {
          a.push(5 + next());
          b.push(5 + next());
        }
        fixed ||= compareToBaseline(armOf(a), armOf(b), TWO_SIDED)!.pValue < 0.05;
        sequential ||= compareToBaseline(armOf(a), armOf(b), { ...TWO_SIDED, sequential: true })!.pValue < 0.05;
      }
      if (fixed) fixedEver++;
      if (sequential) sequentialEver++;
    }
    expect(fixedEver / runs).toBeGreaterThan(0.12);
    expect(sequentialEver / runs).toBeLessThanOrEqual(0.05);
  });
});

describe('multiple comparisons', () => {
  it('Bonferroni multiplies by the family size, at most 1', () => {
    expect(bonferroni(0.01, 3)).toBeCloseTo(0.03, 15);
    expect(bonferroni(0.4, 3)).toBe(1);
    expect(bonferroni(0.02, 1)).toBe(0.02);
  });

  it('Benjamini–Hochberg matches SciPy (false_discovery_control), in the input order', () => {
    const adjusted = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    [0.02, 0.04, 0.04, 0.02].forEach((p, i) => expect(adjusted[i]).toBeCloseTo(p, 12));
    const second = benjaminiHochberg([0.2, 0.001, 0.5, 0.04, 0.03]);
    [0.25, 0.005, 0.5, 0.04 * (5 / 3), 0.04 * (5 / 3)].forEach((p, i) => expect(second[i]).toBeCloseTo(p, 12));
    expect(benjaminiHochberg([])).toEqual([]);
  });
});
