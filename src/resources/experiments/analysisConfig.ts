// An experiment's analysisConfig: what a valid one holds, how it is shown, and how results read it. LaunchDarkly's
// spec gives the thresholds as strings and the significance threshold both as a percent ("5", the input's example)
// and as a fraction ("between 0.0-1.0", the representation's description): both are accepted and mean the same, and
// the representation shows the fraction.
import type { FieldError } from '../../http/errors.js';
import type { AnalysisConfig, ExperimentDoc } from './model.js';

/** The significance level frequentist results use when the experiment sets none (LaunchDarkly's examples' 5%). */
export const DEFAULT_SIGNIFICANCE = 0.05;

const CORRECTION_METHODS = ['bonferroni', 'benjamini-hochberg'];
const CORRECTION_SCOPES = ['variations', 'variations-and-metrics', 'metrics'];

function numberOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * A significance threshold as a level: "5" (percent) and "0.05" are both 5%. Undefined unless the level is above 0
 * and below 50%: at 50% or more a one-sided test has no interval (its critical value is 0 or below).
 */
export function significanceLevel(threshold: unknown): number | undefined {
  const n = numberOf(threshold);
  if (n === undefined || n <= 0) return undefined;
  const level = n < 1 ? n : n / 100;
  return level < 0.5 ? level : undefined;
}

/** A level as a decimal string without exponent or the binary noise of dividing by 100 (1.1 / 100). */
function decimalText(level: number): string {
  const rounded = Number(level.toPrecision(12));
  const text = String(rounded);
  return text.includes('e') ? rounded.toFixed(20).replace(/\.?0+$/, '') : text;
}

/**
 * AnalysisConfigRep: the config as stored, with `significanceThreshold` as the fraction the representation documents
 * ("Value should be between 0.0-1.0 inclusive"), however it was given: "5" and "0.05" both show as "0.05".
 */
export function analysisConfigRep(config: AnalysisConfig): AnalysisConfig {
  const level = significanceLevel(config.significanceThreshold);
  return level === undefined ? config : { ...config, significanceThreshold: decimalText(level) };
}

/** "two-sided" or "one-sided", in any case, with "-", "_", " " or nothing between the words. */
const DIRECTION = /^(one|two)[-_ ]?sided$/i;

/** One-sided when the test direction says so; two-sided otherwise (the default). */
export function isOneSided(direction: unknown): boolean {
  return typeof direction === 'string' && DIRECTION.test(direction.trim()) && /^one/i.test(direction.trim());
}

/** Each problem of an analysisConfig value, with its attribute under `prefix` (e.g. "analysisConfig."). */
export function analysisConfigProblems(config: unknown, prefix = 'analysisConfig.'): FieldError[] {
  if (config === null || typeof config !== 'object' || Array.isArray(config)) return [{ attribute: prefix.replace(/\.$/, ''), reason: 'must be an object' }];
  const c = config as Record<string, unknown>;
  const problems: FieldError[] = [];
  if (c.bayesianThreshold !== undefined) {
    const n = numberOf(c.bayesianThreshold);
    if (n === undefined || n < 0 || n > 100) problems.push({ attribute: `${prefix}bayesianThreshold`, reason: 'must be a number from 0 to 100, as a string (e.g. "10")' });
  }
  if (c.significanceThreshold !== undefined && significanceLevel(c.significanceThreshold) === undefined) {
    problems.push({ attribute: `${prefix}significanceThreshold`, reason: 'must be a level above 0 and below 50%, as a string: a percent ("5") or a fraction below 1 ("0.05")' });
  }
  if (c.testDirection !== undefined && (typeof c.testDirection !== 'string' || !DIRECTION.test(c.testDirection.trim()))) {
    problems.push({ attribute: `${prefix}testDirection`, reason: 'must be "two-sided" or "one-sided"' });
  }
  if (c.multipleComparisonCorrectionMethod !== undefined && !CORRECTION_METHODS.includes(c.multipleComparisonCorrectionMethod as string)) {
    problems.push({ attribute: `${prefix}multipleComparisonCorrectionMethod`, reason: 'must be "bonferroni" or "benjamini-hochberg"' });
  }
  if (c.multipleComparisonCorrectionScope !== undefined && !CORRECTION_SCOPES.includes(c.multipleComparisonCorrectionScope as string)) {
    problems.push({ attribute: `${prefix}multipleComparisonCorrectionScope`, reason: 'must be "variations", "variations-and-metrics" or "metrics"' });
  }
  if (c.sequentialTestingEnabled !== undefined && typeof c.sequentialTestingEnabled !== 'boolean') {
    problems.push({ attribute: `${prefix}sequentialTestingEnabled`, reason: 'must be a boolean' });
  }
  return problems;
}

export type CorrectionScope = 'variations' | 'metrics' | 'variations-and-metrics';

/** How an experiment's results are analysed, from its methodology and analysisConfig. */
export type ResultsMethod =
  | { methodology: 'bayesian' }
  | {
      methodology: 'frequentist';
      alpha: number;
      oneSided: boolean;
      sequential: boolean;
      /** A correction for multiple comparisons, and the family it counts. */
      correction?: { method: 'bonferroni' | 'benjamini-hochberg'; scope: CorrectionScope };
    };

/**
 * Frequentist experiments get frequentist results; the others Bayesian ones (export_only experiments too: their
 * events are in iterlab, and there is no warehouse to export them to). A correction method without a scope counts
 * the treatments ('variations').
 */
export function resultsMethod(doc: Pick<ExperimentDoc, 'methodology' | 'analysisConfig'>): ResultsMethod {
  if (doc.methodology !== 'frequentist') return { methodology: 'bayesian' };
  const config: AnalysisConfig = doc.analysisConfig ?? {};
  const method = config.multipleComparisonCorrectionMethod;
  const scope = (CORRECTION_SCOPES.includes(config.multipleComparisonCorrectionScope ?? '') ? config.multipleComparisonCorrectionScope : 'variations') as CorrectionScope;
  return {
    methodology: 'frequentist',
    alpha: significanceLevel(config.significanceThreshold) ?? DEFAULT_SIGNIFICANCE,
    oneSided: isOneSided(config.testDirection),
    sequential: config.sequentialTestingEnabled === true,
    ...(method === 'bonferroni' || method === 'benjamini-hochberg' ? { correction: { method, scope } } : {}),
  };
}
