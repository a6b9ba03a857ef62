// Pure: an iteration's results for one metric, from the SDKs' events. Units are assigned to treatments by their
// first exposure (a feature event the SDK marked inExperiment); a metric counts a unit's events from that exposure on.

import { compare, credibleInterval, normalQuantile, posteriorMean, probabilityOfMismatch, quantileOfSorted, type Posterior } from './bayesian.js';
import { benjaminiHochberg, bonferroni, compareToBaseline, meanInterval, type Arm, type Interval } from './frequentist.js';

/**
 * A feature event in the experiment: the unit (its randomization-unit key), the variation served, when, and the
 * unit's values of the attributes results are sliced by.
 */
export interface Exposure {
  unit: string;
  variation: number;
  at: number;
  attributes?: Record<string, string>;
}

/** A metric's event for a unit: when, and its value (custom events' metricValue). */
export interface MetricEvent {
  unit: string;
  at: number;
  value: number | undefined;
}

export interface TreatmentInput {
  id: string;
  name: string;
  /** The flag variation index the treatment serves. */
  variation: number;
  /** Its share of the iteration's traffic, in percent. */
  allocation: number;
  /**
   * A multi-armed bandit's shares over time: its share (percent) from each `from` on, oldest first. A unit was then
   * expected in a treatment as the shares stood at its first exposure.
   */
  allocationSince?: { from: number; allocation: number }[];
  /** The treatment the others are compared with in a frequentist analysis (the first when none is marked). */
  baseline?: boolean;
}

/**
 * How results are analysed: Bayesian (the default), or frequentist at significance level alpha, two-sided or
 * one-sided in the direction of improvement, fixed-horizon or sequential. `comparisons` is the size of the
 * Bonferroni family each p-value belongs to (1: no correction); Benjamini–Hochberg is applied afterwards, across the
 * family, by adjustFalseDiscoveries.
 */
export type AnalysisInput =
  | { methodology: 'bayesian' }
  | { methodology: 'frequentist'; alpha: number; oneSided: boolean; sequential: boolean; comparisons: number };

export const BAYESIAN: AnalysisInput = { methodology: 'bayesian' };

export interface MetricInput {
  /** Numeric metrics average a value per unit; the others count units that converted. */
  numeric: boolean;
  /**
   * A conversion count metric (LaunchDarkly's "Count": a conversion metric whose events are summed per unit): each
   * event counts 1 whatever its value, and a unit's value is its number of events, analysed as a numeric metric's
   * (`numeric` is then true, `aggregation` sum).
   */
  count?: boolean;
  /** How a unit's values combine (numeric): their sum or their average. */
  aggregation: 'sum' | 'average';
  /** Numeric: the value of a unit with no event, or undefined when such units are left out. */
  missingValue: number | undefined;
  /** LowerThanBaseline: the best treatment is the one with the lowest mean. */
  lowerIsBetter: boolean;
  /** Numeric: the percentiles each unit's value is clamped at (see winsorBounds). */
  winsor?: Winsorization;
  /**
   * Numeric metrics analysed by a percentile (0-100; LaunchDarkly's `analysisType: percentile`): each treatment is
   * judged by that percentile of its units' values, not by their mean (see percentileEstimate).
   */
  percentile?: number;
}

/**
 * Winsorization (LaunchDarkly's API v23 metric fields): percentiles, in percent, of the exposed units' values that
 * each unit's value is clamped at; either bound alone clamps one side. Units that sent no event have the metric's
 * imputed value, which counts towards the bounds, and is clamped, only with includeImputed.
 */
export interface Winsorization {
  lowerPercentile?: number;
  upperPercentile?: number;
  includeImputed: boolean;
}

/** Winsorization's bounds in the metric's values, from all of the iteration's units (its slices share them). */
export interface Clamp {
  lower?: number;
  upper?: number;
  imputed: boolean;
}

export interface TreatmentResult {
  treatmentId: string;
  treatmentName: string;
  mean?: number;
  dataMean?: number;
  dataStdDev?: number;
  credibleInterval?: { lower: number; upper: number };
  pBest?: number;
  relativeDifferences?: { lower?: number; upper?: number; fromTreatmentId: string; varianceReduction?: number }[];
  units: number;
  traffic: number;
  eventValuesSum: number;
  distribution?: { kind: 'normal' | 'beta'; parameters: Record<string, number> };
  /** CUPED diagnostics (numeric metrics whose units have pre-experiment values): see cuped(). */
  correlation?: number;
  standardDeviationRatio?: number;
  covariateImbalance?: number;
  varianceReduction?: number;
  /** Frequentist: the mean's confidence interval. */
  confidenceInterval?: Interval;
  /** Frequentist, treatments other than the baseline: the relative difference from the baseline's mean. */
  relativeDifference?: number;
  /** Frequentist: the p-value of the difference from the baseline, corrected for multiple comparisons if asked. */
  pValue?: number;
  /** Frequentist: pValue is below the significance level. */
  significant?: boolean;
  model?: 'bayesianNormal' | 'bayesianBeta';
  bayesianNormal?: { dataWeight: number; priorMean: number };
  bayesianBeta?: { priorAlpha: number; priorBeta: number; priorMean: number; dataWeight: number };
}

export interface MetricResults {
  treatmentResults: TreatmentResult[];
  probabilityOfMismatch: number;
  /** When a metric event of an exposed unit was last seen; undefined when none was. */
  lastSeen: number | undefined;
}

/** A unit's treatment (index into treatments), its first exposure, and the attribute values it had then. */
export interface AssignedUnit {
  treatment: number;
  at: number;
  attributes?: Record<string, string>;
}

/** Each unit's treatment and first exposure; exposures to no treatment are ignored. */
export function assignUnits(exposures: Exposure[], treatments: TreatmentInput[]): Map<string, AssignedUnit> {
  const byVariation = new Map(treatments.map((t, i) => [t.variation, i]));
  // The store reads them in time order: sorting is then a copy for nothing.
  const ordered = exposures.every((e, i) => i === 0 || exposures[i - 1].at <= e.at) ? exposures : [...exposures].sort((a, b) => a.at - b.at);
  const units = new Map<string, AssignedUnit>();
  for (const exposure of ordered) {
    const treatment = byVariation.get(exposure.variation);
    if (treatment === undefined || units.has(exposure.unit)) continue;
    units.set(exposure.unit, { treatment, at: exposure.at, ...(exposure.attributes ? { attributes: exposure.attributes } : {}) });
  }
  return units;
}

/** The units by the value of attribute at their first exposure (values in text order); units without one in none. */
export function slices(units: ReadonlyMap<string, AssignedUnit>, attribute: string): [string, Map<string, AssignedUnit>][] {
  const byValue = new Map<string, Map<string, AssignedUnit>>();
  for (const [key, unit] of units) {
    const value = unit.attributes?.[attribute];
    if (value === undefined) continue;
    let slice = byValue.get(value);
    if (!slice) byValue.set(value, (slice = new Map()));
    slice.set(key, unit);
  }
  return [...byValue].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * A funnel's steps, each as the events that count for it: a unit's event counts for step k only from the moment it
 * completed step k - 1 (its first counted event there; step 1 from its exposure), so a unit that skipped a step or
 * took them out of order converts no later step.
 */
export function funnelEvents(units: ReadonlyMap<string, AssignedUnit>, steps: MetricEvent[][]): MetricEvent[][] {
  let reached = new Map([...units].map(([unit, { at }]) => [unit, at]));
  return steps.map((events) => {
    const counted = events.filter((event) => reached.has(event.unit) && event.at >= reached.get(event.unit)!);
    const next = new Map<string, number>();
    for (const event of counted) next.set(event.unit, Math.min(next.get(event.unit) ?? event.at, event.at));
    reached = next;
    return counted;
  });
}

// Conversions: a uniform Beta(1, 1) prior. Numeric: a flat prior, so the posterior is the data's (dataWeight 1).
const PRIOR_ALPHA = 1;
const PRIOR_BETA = 1;

/** A unit's metric events from its first exposure on: their values' sum and their count. */
export interface Counted {
  perUnit: Map<string, { sum: number; count: number }>;
  lastSeen: number | undefined;
  /** Winsorization's bounds, when the metric asks for it and a unit has a value. */
  clamp?: Clamp;
}

/**
 * Adds an event to its unit's sum and count, and says whether it did: a conversion's event is 1, a count metric's 1
 * whatever its value, a numeric metric's its value. A numeric metric's event without a value (a `track` call that
 * sent no metricValue) measured nothing: it is left out, rather than taken as 0 into the unit's sum and average, so
 * a unit with only such events is a unit without events (the metric's default value, or left out).
 */
function addEvent(perUnit: Counted['perUnit'], event: MetricEvent, metric: MetricInput): boolean {
  if (metric.numeric && !metric.count && event.value === undefined) return false;
  const seen = perUnit.get(event.unit) ?? { sum: 0, count: 0 };
  seen.sum += metric.count ? 1 : (event.value ?? 1);
  seen.count += 1;
  perUnit.set(event.unit, seen);
  return true;
}

export function countEvents(units: ReadonlyMap<string, AssignedUnit>, events: MetricEvent[], metric: MetricInput): Counted {
  const perUnit: Counted['perUnit'] = new Map();
  let lastSeen: number | undefined;
  for (const event of events) {
    const unit = units.get(event.unit);
    if (!unit || event.at < unit.at) continue;
    if (!addEvent(perUnit, event, metric)) continue;
    lastSeen = Math.max(lastSeen ?? event.at, event.at);
  }
  const clamp = winsorBounds(units, perUnit, metric);
  return { perUnit, lastSeen, ...(clamp ? { clamp } : {}) };
}

/**
 * The values winsorization clamps at: the asked percentiles of the units' values (linearly interpolated between the
 * closest ranks, as numpy's and R's default), imputed values counted only with includeImputed.
 */
export function winsorBounds(units: ReadonlyMap<string, AssignedUnit>, perUnit: Counted['perUnit'], metric: MetricInput): Clamp | undefined {
  const winsor = metric.winsor;
  if (!metric.numeric || !winsor || (winsor.lowerPercentile === undefined && winsor.upperPercentile === undefined)) return undefined;
  const values: number[] = [];
  for (const key of units.keys()) {
    const seen = perUnit.get(key);
    const value = seen ? unitValue(seen, metric) : winsor.includeImputed ? metric.missingValue : undefined;
    if (value !== undefined) values.push(value);
  }
  if (values.length === 0) return undefined;
  values.sort((a, b) => a - b);
  const at = (percent: number | undefined) => (percent === undefined ? undefined : percentileOf(values, percent));
  return { lower: at(winsor.lowerPercentile), upper: at(winsor.upperPercentile), imputed: winsor.includeImputed };
}

/** The percentile (0-100) of sorted values, interpolated between the two closest ranks. */
export function percentileOf(sorted: readonly number[], percent: number): number {
  return quantileOfSorted(sorted, percent / 100);
}

function clamped(value: number, { lower, upper }: Clamp): number {
  if (lower !== undefined && value < lower) return lower;
  if (upper !== undefined && value > upper) return upper;
  return value;
}

/**
 * CUPED's covariates: each unit's value of the metric from events before the iteration (the caller picks the
 * window), aggregated as the metric aggregates; units without such events are left out.
 */
export function covariatesOf(units: ReadonlyMap<string, AssignedUnit>, events: MetricEvent[], metric: MetricInput): Map<string, number> {
  const perUnit: Counted['perUnit'] = new Map();
  for (const event of events) if (units.has(event.unit)) addEvent(perUnit, event, metric);
  return new Map([...perUnit].map(([unit, seen]) => [unit, unitValue(seen, metric)!]));
}

export function metricResults(exposures: Exposure[], events: MetricEvent[], treatments: TreatmentInput[], metric: MetricInput): MetricResults {
  const units = assignUnits(exposures, treatments);
  return summarize(units, countEvents(units, events, metric), treatments, metric);
}

/** A unit's value of a numeric metric from its counted events (its sum or their average), or the metric's default. */
export function unitValue(seen: { sum: number; count: number } | undefined, metric: MetricInput): number | undefined {
  if (!seen) return metric.missingValue;
  return metric.aggregation === 'average' ? seen.sum / seen.count : seen.sum;
}

/**
 * The results of units (all of them, or a slice), from their counted events. `covariates` (numeric metrics) are
 * the units' values of the same metric before the iteration started: when given and they vary, the posteriors are
 * CUPED's (see cuped()).
 */
export function summarize(
  units: ReadonlyMap<string, AssignedUnit>,
  { perUnit, lastSeen, clamp }: Counted,
  treatments: TreatmentInput[],
  metric: MetricInput,
  covariates?: ReadonlyMap<string, number>,
  analysis: AnalysisInput = BAYESIAN,
): MetricResults {
  const traffic = treatments.map(() => 0);
  const values = treatments.map(() => [] as number[]);
  const before = treatments.map(() => [] as number[]);
  for (const [key, { treatment }] of units) {
    traffic[treatment] += 1;
    const seen = perUnit.get(key);
    const value = metric.numeric ? unitValue(seen, metric) : seen ? 1 : 0;
    if (value === undefined) continue;
    values[treatment].push(clamp && (seen || clamp.imputed) ? clamped(value, clamp) : value);
    before[treatment].push(covariates?.get(key) ?? metric.missingValue ?? 0);
  }

  const adjusted = metric.numeric && covariates ? cuped(values, before) : undefined;
  const mismatch = probabilityOfMismatch(traffic, expectedShares(units, treatments));
  if (analysis.methodology === 'frequentist') {
    return { treatmentResults: frequentist(treatments, traffic, values, adjusted, metric, analysis), probabilityOfMismatch: mismatch, lastSeen };
  }
  const posteriors: (Posterior | undefined)[] = (adjusted?.values ?? values).map((v) => posteriorOf(v, metric));
  const compared = posteriors.every((p) => p !== undefined) && posteriors.length > 1 ? compare(posteriors as Posterior[], { lowerIsBetter: metric.lowerIsBetter }) : undefined;

  const treatmentResults = treatments.map((t, i): TreatmentResult => {
    const n = values[i].length;
    const posterior = posteriors[i];
    const base: TreatmentResult = {
      ...dataOf(t, values[i], traffic[i]),
      model: metric.numeric ? 'bayesianNormal' : 'bayesianBeta',
      ...(metric.numeric ? { bayesianNormal: { dataWeight: 1, priorMean: 0 } } : { bayesianBeta: { priorAlpha: PRIOR_ALPHA, priorBeta: PRIOR_BETA, priorMean: PRIOR_ALPHA / (PRIOR_ALPHA + PRIOR_BETA), dataWeight: n / (n + PRIOR_ALPHA + PRIOR_BETA) } }),
    };
    if (adjusted) Object.assign(base, adjusted.diagnostics[i]);
    if (!posterior) return base;
    base.mean = posteriorMean(posterior);
    base.credibleInterval = credibleInterval(posterior);
    base.distribution = posterior.kind === 'beta' ? { kind: 'beta', parameters: { alpha: posterior.alpha, beta: posterior.beta } } : { kind: 'normal', parameters: { mu: posterior.mu, sigma: posterior.sigma } };
    if (compared) {
      base.pBest = compared.pBest[i];
      base.relativeDifferences = treatments.flatMap((other, j) => {
        const interval = compared.relative[i][j];
        if (!interval) return [];
        const reduction = adjusted ? pairReduction(values, adjusted.values, i, j) : undefined;
        return [{ ...interval, fromTreatmentId: other.id, ...(reduction !== undefined ? { varianceReduction: reduction } : {}) }];
      });
    }
    return base;
  });

  return { treatmentResults, probabilityOfMismatch: mismatch, lastSeen };
}

/**
 * How many of the units each treatment was expected to get (in any scale): its allocation, or, for a bandit whose
 * shares moved, the sum over the units of its share when each unit first came.
 */
export function expectedShares(units: ReadonlyMap<string, AssignedUnit>, treatments: TreatmentInput[]): number[] {
  if (!treatments.some((t) => t.allocationSince && t.allocationSince.length > 1)) return treatments.map((t) => t.allocation);
  const expected = treatments.map(() => 0);
  // The last step from at or before `at` (the first when none is): a binary search, as steps can be many.
  const shareAt = (t: TreatmentInput, at: number) => {
    const steps = t.allocationSince;
    if (!steps || steps.length === 0) return t.allocation;
    let lo = 0;
    let hi = steps.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (steps[mid].from <= at) lo = mid;
      else hi = mid - 1;
    }
    return steps[lo].allocation;
  };
  for (const { at } of units.values()) {
    const shares = treatments.map((t) => shareAt(t, at));
    const total = shares.reduce((sum, share) => sum + share, 0);
    if (total > 0) shares.forEach((share, i) => (expected[i] += share / total));
  }
  return expected;
}

/** What every treatment result shows whatever the analysis: its units, traffic, sums and the data's mean and spread. */
function dataOf(t: TreatmentInput, values: number[], traffic: number): TreatmentResult {
  const n = values.length;
  const sum = values.reduce((a, b) => a + b, 0);
  const out: TreatmentResult = { treatmentId: t.id, treatmentName: t.name, units: n, traffic, eventValuesSum: sum };
  if (n > 0) out.dataMean = sum / n;
  if (n > 1) out.dataStdDev = Math.sqrt(varianceOf(values));
  return out;
}

function armOf(values: readonly number[]): Arm {
  return { n: values.length, mean: values.length > 0 ? meanOf(values) : 0, variance: varianceOf(values) };
}

/**
 * Frequentist results: each treatment's mean and its confidence interval, and for the others than the baseline the
 * relative difference from the baseline's mean with its interval and p-value (Welch's t-test; a confidence sequence
 * when sequential). CUPED's adjusted values stand in for the data when given. Bonferroni widens the intervals of the
 * differences to level α/m and multiplies their p-values by m.
 */
function frequentist(
  treatments: TreatmentInput[],
  traffic: number[],
  values: number[][],
  adjusted: ReturnType<typeof cuped>,
  metric: MetricInput,
  analysis: Extract<AnalysisInput, { methodology: 'frequentist' }>,
): TreatmentResult[] {
  const analysed = adjusted?.values ?? values;
  const arms = analysed.map((v) => (metric.numeric && metric.percentile !== undefined ? percentileArm(v, metric.percentile) : armOf(v)));
  const base = Math.max(0, treatments.findIndex((t) => t.baseline));
  const baseline = arms[base];
  const direction = !analysis.oneSided ? 'two-sided' : metric.lowerIsBetter ? 'lower' : 'higher';
  const options = { alpha: analysis.alpha / analysis.comparisons, direction, sequential: analysis.sequential } as const;
  return treatments.map((t, i) => {
    const out = dataOf(t, values[i], traffic[i]);
    if (adjusted) Object.assign(out, adjusted.diagnostics[i]);
    const arm = arms[i];
    if (arm.n === 0) return out;
    out.mean = arm.mean;
    const interval = meanInterval(arm, { alpha: analysis.alpha, sequential: analysis.sequential });
    if (interval) out.confidenceInterval = interval;
    if (i === base) return out;
    const compared = compareToBaseline(arm, baseline, options);
    if (!compared) return out;
    const reduction = adjusted ? pairReduction(values, adjusted.values, i, base) : undefined;
    out.relativeDifference = compared.estimate;
    out.relativeDifferences = [{ ...compared.interval, fromTreatmentId: treatments[base].id, ...(reduction !== undefined ? { varianceReduction: reduction } : {}) }];
    out.pValue = bonferroni(compared.pValue, analysis.comparisons);
    out.significant = out.pValue < analysis.alpha;
    return out;
  });
}

/**
 * Benjamini–Hochberg across a family of frequentist results: each set is one metric's treatment results (within
 * one slice); the family is each set's treatments ('variations'), each treatment across the sets ('metrics'), or
 * every treatment of every set ('variations-and-metrics'). Rewrites pValue (adjusted) and significant in place.
 */
export function adjustFalseDiscoveries(sets: TreatmentResult[][], scope: 'variations' | 'metrics' | 'variations-and-metrics', alpha: number): void {
  const families: TreatmentResult[][] =
    scope === 'variations'
      ? sets
      : scope === 'variations-and-metrics'
        ? [sets.flat()]
        : [...new Set(sets.flatMap((set) => set.map((r) => r.treatmentId)))].map((id) => sets.flatMap((set) => set.filter((r) => r.treatmentId === id)));
  for (const family of families) {
    const tested = family.filter((r) => r.pValue !== undefined);
    benjaminiHochberg(tested.map((r) => r.pValue!)).forEach((p, k) => {
      tested[k].pValue = p;
      tested[k].significant = p < alpha;
    });
  }
}

/**
 * A percentile of a treatment's unit values with its standard error, from the order statistics that bound it
 * (Deng, Knoblich and Lu 2018, "Applying the delta method in metric analytics", section 4: the ranks n·p ±
 * z·√(n·p·(1−p)) bound a 95% interval of the p-quantile whatever the values' distribution); the standard error is
 * that interval's width over 2z. Undefined below two values.
 */
export function percentileEstimate(values: readonly number[], percent: number): { estimate: number; standardError: number } | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const p = percent / 100;
  const z = normalQuantile(0.975);
  const spread = z * Math.sqrt(n * p * (1 - p));
  // Ranks are 1-based; the bounds stay inside the data.
  const lower = sorted[Math.min(n, Math.max(1, Math.floor(n * p - spread))) - 1];
  const upper = sorted[Math.min(n, Math.max(1, Math.ceil(n * p + spread))) - 1];
  return { estimate: percentileOf(sorted, percent), standardError: (upper - lower) / (2 * z) };
}

/** A frequentist arm judged by a percentile: its estimate as the mean, and a variance whose standard error is its. */
function percentileArm(values: readonly number[], percent: number): Arm {
  const found = percentileEstimate(values, percent);
  if (!found) return armOf(values);
  return { n: values.length, mean: found.estimate, variance: found.standardError ** 2 * values.length };
}

/**
 * The posterior of a treatment's mean (or, for a metric analysed by a percentile, of that percentile: Normal around
 * the estimate, with its standard error): Beta for conversions (from one unit on), Normal for numeric values (from
 * two units with some spread; with fewer there is nothing to say).
 */
function posteriorOf(values: number[], metric: MetricInput): Posterior | undefined {
  const n = values.length;
  if (metric.numeric && metric.percentile !== undefined) {
    const found = percentileEstimate(values, metric.percentile);
    return found && found.standardError > 0 ? { kind: 'normal', mu: found.estimate, sigma: found.standardError } : undefined;
  }
  if (!metric.numeric) {
    const converted = values.reduce((a, b) => a + b, 0);
    return { kind: 'beta', alpha: PRIOR_ALPHA + converted, beta: PRIOR_BETA + n - converted };
  }
  if (n < 2) return undefined;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1);
  if (variance <= 0) return undefined;
  return { kind: 'normal', mu: mean, sigma: Math.sqrt(variance / n) };
}

function meanOf(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** Sample variance (n − 1); 0 below two values. */
function varianceOf(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = meanOf(values);
  return values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1);
}

export interface CupedDiagnostics {
  /** Within the treatment: the correlation of the unit's value with its value before the iteration. */
  correlation?: number;
  /** Within the treatment: the value's standard deviation over the covariate's. */
  standardDeviationRatio?: number;
  /** The treatment's covariate mean less the experiment's, in standard deviations of the experiment's covariate. */
  covariateImbalance: number;
  /** 1 − the adjusted values' variance over the values' variance, within the treatment. */
  varianceReduction?: number;
}

/**
 * CUPED (Deng et al. 2013): each unit's value less θ·(its covariate − the covariates' mean), with one θ for all
 * treatments, the within-treatment regression slope of values on covariates. The adjusted values keep each
 * treatment's mean in expectation and have less variance the more values and covariates correlate. Undefined when
 * the covariates do not vary within any treatment (nothing to adjust by: no unit was seen before the iteration).
 */
export function cuped(values: number[][], covariates: number[][]): { values: number[][]; theta: number; diagnostics: CupedDiagnostics[] } | undefined {
  let sxy = 0;
  let sxx = 0;
  values.forEach((ys, a) => {
    if (ys.length === 0) return;
    const xs = covariates[a];
    const my = meanOf(ys);
    const mx = meanOf(xs);
    for (let k = 0; k < ys.length; k++) {
      sxy += (xs[k] - mx) * (ys[k] - my);
      sxx += (xs[k] - mx) ** 2;
    }
  });
  if (!(sxx > 0)) return undefined;
  const theta = sxy / sxx;
  const all = covariates.flat();
  const overall = meanOf(all);
  const spread = Math.sqrt(varianceOf(all));
  const adjusted = values.map((ys, a) => ys.map((y, k) => y - theta * (covariates[a][k] - overall)));
  const diagnostics = values.map((ys, a): CupedDiagnostics => {
    const xs = covariates[a];
    const out: CupedDiagnostics = { covariateImbalance: xs.length > 0 && spread > 0 ? (meanOf(xs) - overall) / spread : 0 };
    const vy = varianceOf(ys);
    const vx = varianceOf(xs);
    if (vy > 0 && vx > 0) {
      const my = meanOf(ys);
      const mx = meanOf(xs);
      const cov = ys.reduce((sum, y, k) => sum + (y - my) * (xs[k] - mx), 0) / (ys.length - 1);
      out.correlation = cov / Math.sqrt(vy * vx);
      out.standardDeviationRatio = Math.sqrt(vy / vx);
    }
    if (vy > 0) out.varianceReduction = 1 - varianceOf(adjusted[a]) / vy;
    return out;
  });
  return { values: adjusted, theta, diagnostics };
}

/** How much CUPED narrows the difference of two treatments' means: 1 − its adjusted variance over its variance. */
function pairReduction(values: number[][], adjusted: number[][], i: number, j: number): number | undefined {
  const spread = (vs: number[][]) => varianceOf(vs[i]) / vs[i].length + varianceOf(vs[j]) / vs[j].length;
  const raw = spread(values);
  return raw > 0 ? 1 - spread(adjusted) / raw : undefined;
}
