// Pure statistics for frequentist experiment results: each treatment against the baseline by Welch's t-test on the
// relative difference of their means (delta method), fixed-horizon or sequential (always-valid confidence sequences),
// two-sided or one-sided, and the multiple comparisons corrections (Bonferroni, Benjamini–Hochberg).
import { betaCdf } from './bayesian.js';

/** P(T > t) for Student's t with ν degrees of freedom (ν may be fractional, as Welch's is). */
export function tUpperTail(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Infinity) return 0;
  if (t === -Infinity) return 1;
  // The tail straight from the incomplete beta function: 1 − cdf would lose the digits of small p-values.
  const tail = 0.5 * betaCdf(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? tail : 1 - tail;
}

/** The t such that P(T > t) = p (0 < p < 1), by bisection on tUpperTail (to 1e-12 relative). */
export function tQuantileUpper(p: number, df: number): number {
  if (p === 0.5) return 0;
  if (p > 0.5) return -tQuantileUpper(1 - p, df);
  let lo = 0;
  let hi = 1;
  while (tUpperTail(hi, df) > p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (tUpperTail(mid, df) > p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Which difference counts as evidence: either way, or only an improvement (by the metric's success criterion). */
export type Direction = 'two-sided' | 'higher' | 'lower';

export interface FrequentistOptions {
  /** The significance level (0.05 for 5%), before any correction. */
  alpha: number;
  direction: Direction;
  /** Always-valid confidence sequences instead of fixed-horizon intervals. */
  sequential: boolean;
}

/** The arm statistics a comparison needs: units, mean and sample variance (n − 1) of the unit values. */
export interface Arm {
  n: number;
  mean: number;
  variance: number;
}

export interface Interval {
  lower?: number;
  upper?: number;
}

export interface Comparison {
  /** (treatment mean − baseline mean) / |baseline mean|. */
  estimate: number;
  /** Its confidence interval (one bound only for a one-sided test). */
  interval: Interval;
  pValue: number;
}

/**
 * The confidence sequences' tuning: the total sample size at which they are tightest (GrowthBook's default, and
 * Waudby-Smith et al.'s asymptotic confidence sequences, arXiv 2103.06476).
 */
export const SEQUENTIAL_TUNING = 5_000;

function rhoOf(alpha: number): number {
  const l = -2 * Math.log(alpha);
  return Math.sqrt((l + Math.log(l + 1)) / SEQUENTIAL_TUNING);
}

/** The half-width of a two-sided confidence sequence at N units for an estimate with standard error se. */
function sequentialHalfWidth(se: number, total: number, alpha: number): number {
  const rho = rhoOf(alpha);
  const nr2 = total * rho * rho;
  return se * Math.sqrt(((2 * (nr2 + 1)) / nr2) * Math.log(Math.sqrt(nr2 + 1) / alpha));
}

/** The half-width of a one-sided confidence sequence (its ρ is tuned at 2α). */
function sequentialOneSidedHalfWidth(se: number, total: number, alpha: number): number {
  const rho = rhoOf(2 * alpha);
  const nr2 = total * rho * rho;
  return se * Math.sqrt(((2 * (nr2 + 1)) / nr2) * Math.log(1 + Math.sqrt(nr2 + 1) / (2 * alpha)));
}

/**
 * The always-valid p-values of the level-α sequences above: the α' at which a sequence tuned for α would just
 * exclude 0, so p < α exactly when the level-α interval excludes 0 (GrowthBook's closed form). z is the estimate
 * over its standard error, in the direction tested for one-sided sequences.
 */
function sequentialPValue(z: number, total: number, alpha: number): number {
  const nr2 = total * rhoOf(alpha) ** 2;
  return Math.min(1, Math.sqrt(nr2 + 1) * Math.exp((-nr2 * z * z) / (2 * (nr2 + 1))));
}

function sequentialOneSidedPValue(z: number, total: number, alpha: number): number {
  if (!(z > 0)) return 1;
  const nr2 = total * rhoOf(2 * alpha) ** 2;
  return Math.min(1, Math.sqrt(nr2 + 1) / (2 * Math.expm1((nr2 * z * z) / (2 * (nr2 + 1)))));
}

/**
 * A treatment against the baseline: the relative difference of their means, its standard error by the delta method
 * (σ²t/(nt·μb²) + σ²b·μt²/(nb·μb⁴)), and Welch–Satterthwaite's degrees of freedom. Undefined when there is nothing to
 * test: fewer than two units in an arm, a baseline mean of 0, or no variance in either arm.
 */
export function compareToBaseline(treatment: Arm, baseline: Arm, options: FrequentistOptions): Comparison | undefined {
  if (treatment.n < 2 || baseline.n < 2 || baseline.mean === 0) return undefined;
  const vt = treatment.variance / treatment.n;
  const vb = baseline.variance / baseline.n;
  if (!(vt + vb > 0)) return undefined;
  const mb = baseline.mean;
  const estimate = (treatment.mean - mb) / Math.abs(mb);
  const se = Math.sqrt(vt / (mb * mb) + (vb * treatment.mean * treatment.mean) / (mb * mb * mb * mb));
  if (!(se > 0) || !Number.isFinite(se)) return undefined;
  const df = (vt + vb) ** 2 / (vt * vt / (treatment.n - 1) + (vb * vb) / (baseline.n - 1));
  const z = estimate / se;
  const { alpha, direction } = options;
  // A one-sided test in the direction of improvement: for a lower-is-better metric, a fall is the improvement.
  const sign = direction === 'lower' ? -1 : 1;

  if (options.sequential) {
    const total = treatment.n + baseline.n;
    if (direction === 'two-sided') {
      const half = sequentialHalfWidth(se, total, alpha);
      return { estimate, interval: { lower: estimate - half, upper: estimate + half }, pValue: sequentialPValue(z, total, alpha) };
    }
    const half = sequentialOneSidedHalfWidth(se, total, alpha);
    return { estimate, interval: sign > 0 ? { lower: estimate - half } : { upper: estimate + half }, pValue: sequentialOneSidedPValue(sign * z, total, alpha) };
  }
  if (direction === 'two-sided') {
    const half = tQuantileUpper(alpha / 2, df) * se;
    return { estimate, interval: { lower: estimate - half, upper: estimate + half }, pValue: Math.min(1, 2 * tUpperTail(Math.abs(z), df)) };
  }
  const half = tQuantileUpper(alpha, df) * se;
  return { estimate, interval: sign > 0 ? { lower: estimate - half } : { upper: estimate + half }, pValue: tUpperTail(sign * z, df) };
}

/** A treatment mean's two-sided confidence interval (t with n − 1 degrees of freedom; a sequence when sequential). */
export function meanInterval(arm: Arm, options: Pick<FrequentistOptions, 'alpha' | 'sequential'>): Interval | undefined {
  if (arm.n < 2) return undefined;
  const se = Math.sqrt(arm.variance / arm.n);
  const half = options.sequential ? sequentialHalfWidth(se, arm.n, options.alpha) : tQuantileUpper(options.alpha / 2, arm.n - 1) * se;
  return { lower: arm.mean - half, upper: arm.mean + half };
}

/** Bonferroni: each of m p-values times m (at most 1). */
export function bonferroni(pValue: number, m: number): number {
  return Math.min(1, pValue * Math.max(1, m));
}

/**
 * Benjamini–Hochberg's adjusted p-values (the step-up procedure): p(i)·m/i, made monotone from the largest down,
 * at most 1. Rejecting the adjusted p-values below α controls the false discovery rate at α.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m; rank >= 1; rank--) {
    const [p, i] = order[rank - 1];
    running = Math.min(running, (p * m) / rank);
    adjusted[i] = Math.min(1, running);
  }
  return adjusted;
}
