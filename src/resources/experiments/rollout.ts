// Pure: the experiment rollout an iteration writes into a flag rule, and the layout kept when traffic may not reshuffle.
import type { FlagDoc, Rollout, VariationOrRollout, WeightedVariation } from '../flags/model.js';
import { allocationThousandths } from './iterationInput.js';
import type { IterationDoc } from './model.js';

export const TOTAL_WEIGHT = 100_000;

/** The variation index each treatment serves for flagKey, with its weight in thousandths of a percent. */
export function treatmentWeights(doc: IterationDoc, flagKey: string, flag: FlagDoc): { variation: number; weight: number }[] {
  const out: { variation: number; weight: number }[] = [];
  for (const treatment of doc.treatments) {
    const param = treatment.parameters.find((p) => p.flagKey === flagKey);
    if (!param) continue;
    const variation = flag.variations.findIndex((v) => v._id === param.variationId);
    out.push({ variation, weight: allocationThousandths(treatment.allocationPercent) ?? 0 });
  }
  return out;
}

/** Thousandths of a percent as an allocationPercent ("12.5" for 12500), the inverse of allocationThousandths. */
export function percentOf(thousandths: number): string {
  const whole = Math.floor(thousandths / 1000);
  const rest = thousandths % 1000;
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(3, '0').replace(/0+$/, '')}`;
}

/** Adjacent buckets serving the same variation with the same tracking merge into one; empty ones vanish. */
function compact(variations: WeightedVariation[]): WeightedVariation[] {
  const out: WeightedVariation[] = [];
  for (const v of variations) {
    if (v.weight <= 0) continue;
    const last = out[out.length - 1];
    if (last && last.variation === v.variation && Boolean(last._untracked) === Boolean(v._untracked)) last.weight += v.weight;
    else out.push({ ...v });
  }
  return out;
}

/** A fresh layout: the treatments' buckets in order, then the untracked remainder to notInExperiment. */
export function freshLayout(weights: { variation: number; weight: number }[], notInExperiment: number): WeightedVariation[] {
  const tracked = weights.map((w) => ({ variation: w.variation, weight: w.weight }));
  const used = tracked.reduce((sum, w) => sum + w.weight, 0);
  return compact([...tracked, { variation: notInExperiment, weight: TOTAL_WEIGHT - used, _untracked: true }]);
}

/**
 * A layout inside a layer: the treatments take their shares of the iteration's stretch of the bucket space (`width`
 * thousandths of a percent from `offset`), in order; everything outside the stretch, and what the treatments leave of
 * it, is untracked and serves notInExperiment.
 */
export function layeredLayout(weights: { variation: number; weight: number }[], notInExperiment: number, offset: number, width: number): WeightedVariation[] {
  const tracked = weights.map((w) => ({ variation: w.variation, weight: Math.floor((w.weight * width) / TOTAL_WEIGHT) }));
  const used = tracked.reduce((sum, w) => sum + w.weight, 0);
  return compact([
    { variation: notInExperiment, weight: offset, _untracked: true },
    ...tracked,
    { variation: notInExperiment, weight: TOTAL_WEIGHT - offset - used, _untracked: true },
  ]);
}

/**
 * The layout of a follow-on iteration that may not reshuffle traffic. Buckets keep their position (the seed is
 * kept too), so a unit keeps its bucket: each tracked segment of the old layout keeps serving its variation up
 * to that variation's new weight; what is freed (shrunk treatments, and the old untracked space) is handed, in
 * bucket order, first to treatments that grew and then to the untracked remainder.
 */
export function preservingLayout(old: WeightedVariation[], weights: { variation: number; weight: number }[], notInExperiment: number): WeightedVariation[] {
  return relayout(old, weights, notInExperiment, false);
}

/**
 * The layout of a bandit's running rule after its treatments' weights change (their total stays): untracked buckets
 * stay untracked, each tracked segment keeps serving its variation up to that variation's new weight, and what the
 * treatments that shrank gave up goes, in bucket order, to those that grew. Only units in the share a treatment lost
 * change treatment, and none enters or leaves the experiment.
 */
export function reallocatedLayout(old: WeightedVariation[], weights: { variation: number; weight: number }[], notInExperiment: number): WeightedVariation[] {
  return relayout(old, weights, notInExperiment, true);
}

/**
 * Both layouts that keep buckets: each old tracked segment keeps serving its variation up to the variation's new
 * weight, and the space that frees (with the old untracked space too, unless `keepUntracked`, and any space the old
 * layout did not cover) goes in bucket order to the variations still short of their weight, the rest untracked.
 */
function relayout(old: WeightedVariation[], weights: { variation: number; weight: number }[], notInExperiment: number, keepUntracked: boolean): WeightedVariation[] {
  const remaining = new Map<number, number>();
  for (const w of weights) remaining.set(w.variation, (remaining.get(w.variation) ?? 0) + w.weight);
  // A kept segment, or (no variation) free space.
  const segments: { variation?: number; weight: number; untracked?: true }[] = [];
  for (const seg of old) {
    if (seg._untracked && keepUntracked) {
      segments.push({ variation: seg.variation, weight: seg.weight, untracked: true });
      continue;
    }
    const want = seg._untracked ? 0 : (remaining.get(seg.variation) ?? 0);
    const keep = Math.min(seg.weight, want);
    if (keep > 0) {
      segments.push({ variation: seg.variation, weight: keep });
      remaining.set(seg.variation, want - keep);
    }
    if (seg.weight > keep) segments.push({ weight: seg.weight - keep });
  }
  const covered = old.reduce((sum, seg) => sum + seg.weight, 0);
  if (covered < TOTAL_WEIGHT) segments.push({ weight: TOTAL_WEIGHT - covered });

  const out: WeightedVariation[] = [];
  for (const seg of segments) {
    if (seg.variation !== undefined) {
      out.push(seg.untracked ? { variation: seg.variation, weight: seg.weight, _untracked: true } : { variation: seg.variation, weight: seg.weight });
      continue;
    }
    let free = seg.weight;
    for (const [variation, need] of remaining) {
      if (need <= 0 || free <= 0) continue;
      const give = Math.min(need, free);
      out.push({ variation, weight: give });
      remaining.set(variation, need - give);
      free -= give;
    }
    if (free > 0) out.push({ variation: notInExperiment, weight: free, _untracked: true });
  }
  return compact(out);
}

export function experimentRollout(
  variations: WeightedVariation[],
  seed: number,
  contextKind: string,
  notInExperiment: number,
  canReshuffle: boolean,
): Rollout {
  return {
    variations,
    experimentAllocation: { defaultVariation: notInExperiment, canReshuffle },
    seed,
    bucketBy: 'key',
    contextKind,
  };
}

/** The rule's targeting, `fallthrough` or a rule `_id`; undefined when that rule is gone. */
export function targetingOf(config: { fallthrough: VariationOrRollout; rules: ({ _id: string } & VariationOrRollout)[] }, ruleId: string): VariationOrRollout | undefined {
  if (ruleId === 'fallthrough') return config.fallthrough;
  const rule = config.rules.find((r) => r._id === ruleId);
  return rule ? { ...(rule.variation !== undefined ? { variation: rule.variation } : {}), ...(rule.rollout !== undefined ? { rollout: rule.rollout } : {}) } : undefined;
}

/** A random seed: a positive 31-bit integer, never 0 (SDKs treat 0 as "no seed"). */
export function randomSeed(): number {
  return 1 + Math.floor(Math.random() * 0x7ffffffe);
}
