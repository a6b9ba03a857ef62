// Pure: how a multi-armed bandit shares its traffic. LaunchDarkly's bandits use Thompson sampling: "each variation
// receives traffic equal to its probability to be best", estimated by Monte Carlo from the primary metric's
// posteriors (the results' pBest). Two guards beside it, as GrowthBook's bandits have them: a treatment keeps a floor
// of the traffic (one at 0% would never be seen again, so its probability could never recover), and nothing moves
// until every treatment has enough units for its posterior to mean something.

/** The least share of the experiment's traffic a treatment keeps: 1%. */
export const FLOOR_SHARE = 0.01;
/** Traffic moves only once every treatment has this many units. */
export const MIN_UNITS_PER_TREATMENT = 100;

/**
 * Each treatment's traffic in thousandths of a percent, summing to `total` (the experiment's traffic): its
 * probability to be best, lifted so that each keeps `floor` of the total (`floor + (1 - n * floor) * pBest`), and
 * rounded to whole thousandths by largest remainder (ties to the earlier treatment). Equal shares when the floors
 * alone fill the total.
 */
export function banditAllocation(pBest: readonly number[], total: number, floor = FLOOR_SHARE): number[] {
  const n = pBest.length;
  if (n === 0) return [];
  const f = Math.max(0, floor);
  const sum = pBest.reduce((a, p) => a + Math.max(0, p), 0);
  const shares = n * f >= 1 || sum <= 0 ? pBest.map(() => 1 / n) : pBest.map((p) => f + (1 - n * f) * (Math.max(0, p) / sum));
  const exact = shares.map((share) => share * total);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, w) => a + w, 0);
  const order = exact.map((x, i) => ({ i, rest: x - Math.floor(x) })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    out[i] += 1;
    left -= 1;
  }
  return out;
}

/** Whether a bandit may move its traffic: every treatment has at least MIN_UNITS_PER_TREATMENT units. */
export function readyToReallocate(units: readonly number[], minimum = MIN_UNITS_PER_TREATMENT): boolean {
  return units.length > 1 && units.every((u) => u >= minimum);
}
