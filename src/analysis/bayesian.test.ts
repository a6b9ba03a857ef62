// The statistics against known values: distribution functions, quantiles, posteriors and the mismatch probability.
import { describe, expect, it } from 'vitest';
import { betaCdf, betaQuantile, compare, credibleInterval, logGamma, normalQuantile, probabilityOfMismatch, random, draw } from './bayesian.js';

describe('distribution functions', () => {
  it('logGamma matches factorials', () => {
    expect(Math.exp(logGamma(5))).toBeCloseTo(24, 9);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 8);
    expect(Math.exp(logGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 9);
  });

  it('the Beta distribution function and its quantiles', () => {
    expect(betaCdf(0.5, 1, 1)).toBeCloseTo(0.5, 12);
    expect(betaCdf(0.3, 2, 5)).toBeCloseTo(0.579825, 6);
    expect(betaQuantile(0.579825, 2, 5)).toBeCloseTo(0.3, 5);
    // scipy.stats.beta.ppf(0.05, 11, 91)
    expect(betaQuantile(0.05, 11, 91)).toBeCloseTo(0.0622888896, 8);
  });

  it('the normal quantile', () => {
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.0902323, 6);
  });

  it('90% credible intervals', () => {
    const normal = credibleInterval({ kind: 'normal', mu: 10, sigma: 2 });
    expect(normal.lower).toBeCloseTo(10 - 1.6448536 * 2, 5);
    expect(normal.upper).toBeCloseTo(10 + 1.6448536 * 2, 5);
    const beta = credibleInterval({ kind: 'beta', alpha: 11, beta: 91 });
    expect(betaCdf(beta.lower, 11, 91)).toBeCloseTo(0.05, 6);
    expect(betaCdf(beta.upper, 11, 91)).toBeCloseTo(0.95, 6);
  });

  it('draws have the posterior\'s mean', () => {
    const next = random(7);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += draw({ kind: 'beta', alpha: 3, beta: 7 }, next);
    expect(sum / 20_000).toBeCloseTo(0.3, 2);
  });
});

describe('compare', () => {
  it('identical posteriors are each best about half the time; a clearly better one nearly always', () => {
    const even = compare([{ kind: 'beta', alpha: 50, beta: 50 }, { kind: 'beta', alpha: 50, beta: 50 }]);
    expect(even.pBest[0]).toBeGreaterThan(0.45);
    expect(even.pBest[0] + even.pBest[1]).toBeCloseTo(1, 12);
    const clear = compare([{ kind: 'beta', alpha: 100, beta: 900 }, { kind: 'beta', alpha: 200, beta: 800 }]);
    expect(clear.pBest[1]).toBeGreaterThan(0.999);
    // 0.2 / 0.1 - 1: about +100%.
    expect(clear.relative[1][0]!.lower).toBeGreaterThan(0.6);
    expect(clear.relative[1][0]!.upper).toBeLessThan(1.5);
  });

  it('ties are shared: posteriors too narrow to tell apart are each best as often, whatever their order', () => {
    // A CUPED adjustment with correlation 1 leaves a sigma of ~1e-15: most draws of the two are the very same number.
    const narrow = { kind: 'normal' as const, mu: 8.22375, sigma: 2.6e-15 };
    for (const lowerIsBetter of [false, true]) {
      const two = compare([narrow, narrow], { lowerIsBetter });
      expect(two.pBest[0]).toBeCloseTo(0.5, 1);
      expect(two.pBest[0] + two.pBest[1]).toBeCloseTo(1, 12);
      const three = compare([narrow, narrow, narrow], { lowerIsBetter });
      for (const p of three.pBest) expect(p).toBeCloseTo(1 / 3, 1);
    }
  });

  it('is reproducible: the same data, the same answer', () => {
    const posteriors = [{ kind: 'normal' as const, mu: 1, sigma: 0.5 }, { kind: 'normal' as const, mu: 1.2, sigma: 0.5 }];
    expect(compare(posteriors)).toEqual(compare(posteriors));
  });
});

describe('probabilityOfMismatch', () => {
  it('near 0 for counts as allocated, near 1 for a gross mismatch, 0 without units', () => {
    expect(probabilityOfMismatch([5000, 5010], [50, 50])).toBeLessThan(0.05);
    expect(probabilityOfMismatch([5000, 6000], [50, 50])).toBeGreaterThan(0.99);
    expect(probabilityOfMismatch([0, 0], [50, 50])).toBe(0);
    expect(probabilityOfMismatch([3000, 1000], [75, 25])).toBeLessThan(0.05);
  });
});
