// Pure: a running experiment's rollout as a plain percentage rollout, for targeting copied to where no experiment runs.
import type { Rollout, WeightedVariation } from './model.js';

/**
 * A rule's or the fallthrough's serving without its experiment: an experiment runs in one environment (and one flag),
 * so where its targeting is copied (another environment, a clone of the flag, a new environment cloned from this one)
 * its rollout is a plain percentage rollout, and the SDKs there report no evaluation as in an experiment that is not
 * there. `experimentAllocation` and the `_untracked` marks go; the seed, context kind and `bucketBy` (always `key`,
 * which an experiment hashes) stay, so every unit falls in the bucket it fell in before.
 */
export function withoutExperiment<T extends { rollout?: Rollout }>(serving: T): T {
  const rollout = serving.rollout;
  if (!rollout || (rollout.experimentAllocation === undefined && !rollout.variations.some((weighted) => weighted._untracked !== undefined))) return serving;
  const { experimentAllocation: _allocation, ...rest } = rollout;
  return { ...serving, rollout: { ...rest, variations: plainVariations(rollout.variations) } };
}

/** A stretch of the bucket space that serves one variation: adjacent weights of that variation, from `start`. */
interface Run {
  variation: number;
  start: number;
  weight: number;
}

/**
 * An experiment's weights as a plain rollout's, which names each variation once: the weights of a variation that
 * appears more than once (the untracked remainder serving the baseline beside its treatment's bucket; a layer's
 * stretch between two untracked ones) add up into one entry. SDKs walk the entries in order, a unit getting the first
 * whose running total passes its bucket, so one entry cannot cover a variation's separate stretches and some units
 * change variation: each variation's entry stands where its largest stretch stood, which in the common layout keeps the
 * untracked remainder's units in place (20% baseline, 20% treatment, 60% untracked baseline
 * becomes 20% treatment then 80% baseline: the 60% keep the baseline, the 40% in the experiment swap variations).
 */
function plainVariations(variations: WeightedVariation[]): WeightedVariation[] {
  const runs: Run[] = [];
  let start = 0;
  for (const { variation, weight } of variations) {
    const last = runs[runs.length - 1];
    if (last?.variation === variation) last.weight += weight;
    else runs.push({ variation, start, weight });
    start += weight;
  }
  const totals = new Map<number, number>();
  const largest = new Map<number, Run>();
  for (const run of runs) {
    totals.set(run.variation, (totals.get(run.variation) ?? 0) + run.weight);
    const best = largest.get(run.variation);
    if (!best || run.weight > best.weight) largest.set(run.variation, run);
  }
  return [...largest.values()].sort((a, b) => a.start - b.start).map((run) => ({ variation: run.variation, weight: totals.get(run.variation) ?? 0 }));
}
