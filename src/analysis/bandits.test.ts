// banditAllocation: probability to be best as traffic, with a floor, in whole thousandths that add up exactly.
import { describe, expect, it } from 'vitest';
import { banditAllocation, FLOOR_SHARE, MIN_UNITS_PER_TREATMENT, readyToReallocate } from './bandits.js';
import { compare } from './bayesian.js';

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('banditAllocation', () => {
  it('gives each treatment its probability to be best of the total, lifted to the floor', () => {
    // 0.01 + 0.98 * p of 100,000: 0.7 -> 69,600, 0.3 -> 30,400.
    expect(banditAllocation([0.7, 0.3], 100_000)).toEqual([69_600, 30_400]);
    // A treatment that is never best keeps 1% of the experiment's traffic.
    expect(banditAllocation([1, 0, 0], 100_000)).toEqual([98_000, 1_000, 1_000]);
    expect(banditAllocation([1, 0], 60_000)).toEqual([59_400, 600]);
  });

  it('rounds by largest remainder, so the shares always add up to the total', () => {
    expect(banditAllocation([1 / 3, 1 / 3, 1 / 3], 100_000)).toEqual([33_334, 33_333, 33_333]);
    for (const total of [100_000, 99_999, 50_000, 12_345, 7]) {
      for (const pBest of [[0.5, 0.5], [0.1234, 0.5432, 0.3334], [0.9999, 0.0001], [0.2, 0.2, 0.2, 0.2, 0.2]]) {
        const out = banditAllocation(pBest, total);
        expect(sum(out)).toBe(total);
        expect(out.every((w) => Number.isInteger(w) && w >= 0)).toBe(true);
      }
    }
  });

  it('is even when the floors alone fill the total, or when no probability is given', () => {
    expect(banditAllocation([1, 0], 100_000, 0.5)).toEqual([50_000, 50_000]);
    expect(banditAllocation([0, 0], 100_000)).toEqual([50_000, 50_000]);
    expect(banditAllocation([], 100_000)).toEqual([]);
  });

  it('without a floor, traffic is exactly the probability to be best', () => {
    expect(banditAllocation([0.25, 0.75], 100_000, 0)).toEqual([25_000, 75_000]);
    expect(FLOOR_SHARE).toBe(0.01);
  });

  it('follows the evidence: the better arm of two Beta posteriors gets most of the traffic, the worse keeps the floor', () => {
    // 120 of 400 against 40 of 400 conversions: Beta(121, 281) against Beta(41, 361).
    const { pBest } = compare([
      { kind: 'beta', alpha: 41, beta: 361 },
      { kind: 'beta', alpha: 121, beta: 281 },
    ]);
    expect(banditAllocation(pBest, 100_000)).toEqual([1_000, 99_000]);
    // Close arms share the traffic nearly evenly.
    const close = compare([
      { kind: 'beta', alpha: 101, beta: 301 },
      { kind: 'beta', alpha: 103, beta: 299 },
    ]).pBest;
    const [a, b] = banditAllocation(close, 100_000);
    expect(b).toBeGreaterThan(a);
    expect(a).toBeGreaterThan(30_000);
  });
});

describe('readyToReallocate', () => {
  it('waits until every treatment has the minimum of units', () => {
    expect(MIN_UNITS_PER_TREATMENT).toBe(100);
    expect(readyToReallocate([100, 100])).toBe(true);
    expect(readyToReallocate([100, 99])).toBe(false);
    expect(readyToReallocate([500])).toBe(false);
  });
});
