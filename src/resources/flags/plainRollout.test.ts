import { describe, expect, it } from 'vitest';
import type { Rollout, WeightedVariation } from './model.js';
import { withoutExperiment } from './plainRollout.js';

/** The variation a unit in `bucket` (0 to 99,999) gets, walking the weights as SDKs do. */
function served(variations: WeightedVariation[], bucket: number): number {
  let total = 0;
  for (const weighted of variations) {
    total += weighted.weight;
    if (bucket < total) return weighted.variation;
  }
  return variations[variations.length - 1].variation;
}

function experiment(variations: WeightedVariation[]): { rollout: Rollout } {
  return { rollout: { variations, experimentAllocation: { defaultVariation: 0, canReshuffle: true }, seed: 1234, bucketBy: 'key', contextKind: 'user' } };
}

describe('withoutExperiment', () => {
  it('leaves a fixed variation and a plain rollout as they are', () => {
    const fixed: { variation?: number; rollout?: Rollout } = { variation: 1 };
    expect(withoutExperiment(fixed)).toBe(fixed);
    const plain = { rollout: { variations: [{ variation: 0, weight: 30000 }, { variation: 1, weight: 70000 }], seed: 7 } };
    expect(withoutExperiment(plain)).toBe(plain);
  });

  it('drops experimentAllocation and the untracked marks, keeping seed, context kind and bucketBy', () => {
    const out = withoutExperiment({ _id: 'r1', ...experiment([{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }]) });
    expect(out).toEqual({ _id: 'r1', rollout: { variations: [{ variation: 0, weight: 50000 }, { variation: 1, weight: 50000 }], seed: 1234, bucketBy: 'key', contextKind: 'user' } });
  });

  it('adds up a repeated variation into one entry, where its largest stretch was: the untracked units keep their variation', () => {
    const layout = [{ variation: 0, weight: 20000 }, { variation: 1, weight: 20000 }, { variation: 0, weight: 60000, _untracked: true }];
    const plain = withoutExperiment(experiment(layout)).rollout.variations;
    expect(plain).toEqual([{ variation: 1, weight: 20000 }, { variation: 0, weight: 80000 }]);
    for (const bucket of [40000, 70000, 99999]) expect(served(plain, bucket)).toBe(served(layout, bucket));
  });

  it('a layer’s stretch between two untracked ones, and a treatment beside the untracked baseline, merge too', () => {
    const layered = [
      { variation: 2, weight: 10000, _untracked: true },
      { variation: 0, weight: 15000 },
      { variation: 1, weight: 15000 },
      { variation: 2, weight: 60000, _untracked: true },
    ];
    expect(withoutExperiment(experiment(layered)).rollout.variations).toEqual([
      { variation: 0, weight: 15000 },
      { variation: 1, weight: 15000 },
      { variation: 2, weight: 70000 },
    ]);
    // Adjacent weights of one variation, tracked or not, are one stretch.
    const adjacent = [{ variation: 0, weight: 20000 }, { variation: 1, weight: 30000 }, { variation: 1, weight: 10000, _untracked: true }, { variation: 0, weight: 40000, _untracked: true }];
    expect(withoutExperiment(experiment(adjacent)).rollout.variations).toEqual([{ variation: 1, weight: 40000 }, { variation: 0, weight: 60000 }]);
  });
});
