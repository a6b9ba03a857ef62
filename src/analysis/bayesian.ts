// Pure statistics for experiment results: Beta-Binomial (conversions) and Normal (numeric) posteriors, their 90%
// credible intervals, the probability each treatment is best and the relative differences between them (Monte
// Carlo, seeded: the same data always gives the same answer), and the probability of a sample ratio mismatch.

/** 90% credible intervals, as LaunchDarkly's results show. */
export const CREDIBLE_LEVEL = 0.9;
/** Monte Carlo draws for the probability to be best and the relative differences. */
export const DRAWS = 10_000;

export type Posterior = { kind: 'beta'; alpha: number; beta: number } | { kind: 'normal'; mu: number; sigma: number };

/** A small seeded generator (mulberry32): reproducible draws. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normalDraw(next: () => number): number {
  // Box-Muller; 1 - u keeps the logarithm finite.
  const u = 1 - next();
  const v = next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Marsaglia and Tsang's gamma sampler (shape k, scale 1). */
function gammaDraw(k: number, next: () => number): number {
  if (k < 1) return gammaDraw(k + 1, next) * Math.pow(1 - next(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normalDraw(next);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - next();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

export function draw(posterior: Posterior, next: () => number): number {
  if (posterior.kind === 'normal') return posterior.mu + posterior.sigma * normalDraw(next);
  const x = gammaDraw(posterior.alpha, next);
  const y = gammaDraw(posterior.beta, next);
  return x / (x + y);
}

export function posteriorMean(posterior: Posterior): number {
  return posterior.kind === 'normal' ? posterior.mu : posterior.alpha / (posterior.alpha + posterior.beta);
}

/** log Γ(x), Lanczos (g = 7, n = 9), for x > 0. */
export function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = c[0];
  for (let i = 1; i < g + 2; i++) sum += c[i] / (z + i);
  const t = z + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the regularized incomplete beta function (Numerical Recipes' betacf). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-12) break;
  }
  return h;
}

/** The Beta(a, b) distribution function at x. */
export function betaCdf(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** The p-quantile of Beta(a, b), by bisection on its distribution function (to 1e-10). */
export function betaQuantile(p: number, a: number, b: number): number {
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (betaCdf(mid, a, b) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** The standard normal's p-quantile (Acklam's rational approximation, relative error < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** The central credible interval at CREDIBLE_LEVEL. */
export function credibleInterval(posterior: Posterior): { lower: number; upper: number } {
  const tail = (1 - CREDIBLE_LEVEL) / 2;
  if (posterior.kind === 'normal') {
    const z = normalQuantile(1 - tail);
    return { lower: posterior.mu - z * posterior.sigma, upper: posterior.mu + z * posterior.sigma };
  }
  return { lower: betaQuantile(tail, posterior.alpha, posterior.beta), upper: betaQuantile(1 - tail, posterior.alpha, posterior.beta) };
}

export interface Comparison {
  /** For each posterior, the probability that its draw is the highest (the lowest, when lower is better). */
  pBest: number[];
  /** relative[i][j]: the credible interval of draw_i / draw_j - 1 (undefined where draw_j can be 0 or less). */
  relative: ({ lower: number; upper: number } | undefined)[][];
}

/** The p-quantile (0-1) of sorted values, interpolated between the two closest ranks (numpy's and R's default). */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const at = p * (sorted.length - 1);
  const i = Math.floor(at);
  const frac = at - i;
  return i + 1 < sorted.length ? sorted[i] * (1 - frac) + sorted[i + 1] * frac : sorted[i];
}

/** pBest and the pairwise relative differences, from DRAWS joint draws with a fixed seed. */
export function compare(posteriors: Posterior[], { lowerIsBetter = false, seed = 20261204 } = {}): Comparison {
  const next = random(seed);
  const n = posteriors.length;
  const draws = posteriors.map(() => new Float64Array(DRAWS));
  const wins = new Array<number>(n).fill(0);
  for (let k = 0; k < DRAWS; k++) {
    let best = 0;
    let tied = 1;
    for (let i = 0; i < n; i++) {
      draws[i][k] = draw(posteriors[i], next);
      if (i === 0) continue;
      if (draws[i][k] === draws[best][k]) tied += 1;
      else if (lowerIsBetter ? draws[i][k] < draws[best][k] : draws[i][k] > draws[best][k]) {
        best = i;
        tied = 1;
      }
    }
    // A draw the best shares with others is shared among them: ties (posteriors too narrow to tell apart) favour none.
    if (tied === 1) wins[best] += 1;
    else for (let i = 0; i < n; i++) if (draws[i][k] === draws[best][k]) wins[i] += 1 / tied;
  }
  const tail = (1 - CREDIBLE_LEVEL) / 2;
  const relative = posteriors.map((_, i) =>
    posteriors.map((__, j) => {
      if (i === j) return undefined;
      const ratios = new Float64Array(DRAWS);
      for (let k = 0; k < DRAWS; k++) {
        if (draws[j][k] <= 0) return undefined;
        ratios[k] = draws[i][k] / draws[j][k] - 1;
      }
      ratios.sort();
      return { lower: quantileOfSorted(ratios, tail), upper: quantileOfSorted(ratios, 1 - tail) };
    }),
  );
  return { pBest: wins.map((w) => w / DRAWS), relative };
}

/**
 * The probability that units arrive in other shares than the allocation (a sample ratio mismatch): the posterior of
 * "the shares differ" (a uniform Dirichlet over shares) against "they are as allocated", even odds before the data.
 */
export function probabilityOfMismatch(counts: number[], allocation: number[]): number {
  const total = allocation.reduce((sum, a) => sum + a, 0);
  const n = counts.reduce((sum, c) => sum + c, 0);
  if (n === 0 || total <= 0 || counts.length < 2) return 0;
  let logAsAllocated = 0;
  for (let i = 0; i < counts.length; i++) {
    if (counts[i] === 0) continue;
    const share = allocation[i] / total;
    if (share <= 0) return 1;
    logAsAllocated += counts[i] * Math.log(share);
  }
  const k = counts.length;
  let logDiffer = logGamma(k) - logGamma(n + k);
  for (const c of counts) logDiffer += logGamma(c + 1);
  const logBayesFactor = logDiffer - logAsAllocated;
  return 1 / (1 + Math.exp(-logBayesFactor));
}
