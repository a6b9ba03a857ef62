// The flag reads' `expand`: `evaluation` (in each environment shown, the context kinds the SDKs evaluated the flag for
// in the past 30 days) and `codeReferences` (the code references' statistics for the flag, per repository). Each is read
// once for all the flags a response shows, and not at all unless asked for. `migrationSettings` is accepted here and
// shown by the representation.
import { readExpand } from '../../http/links.js';
import { kindsEvaluated } from '../../sdk/evaluatedKinds.js';
import type { Db } from '../../store/db.js';
import { codeRefStatistics, type FlagStatistic } from '../code-refs/statistics.js';
import type { EnvironmentRow } from '../environments/environments.js';

export const FLAG_EXPANSIONS = ['evaluation', 'codeReferences', 'migrationSettings'] as const;
export type FlagExpansion = (typeof FLAG_EXPANSIONS)[number];

/**
 * The `expand` parameter of a flag read. Another value is ignored, as it was before these expansions were built:
 * the flag reads are what every client calls, and one sending an expansion of a newer LaunchDarkly (or a typo) should
 * get the flag, not a 400 the operation does not declare.
 */
export function readFlagExpand(query: Record<string, unknown>): Set<FlagExpansion> {
  const known = new Set<FlagExpansion>();
  for (const value of readExpand(query)) if ((FLAG_EXPANSIONS as readonly string[]).includes(value)) known.add(value as FlagExpansion);
  return known;
}

/** What the expansions asked for add to the flags shown. */
export interface FlagExpansions {
  /** By environment id, then flag key: the kinds evaluated (sorted); undefined when `evaluation` was not asked for. */
  evaluation?: Map<string, Map<string, string[]>>;
  /** By flag key: a StatisticRep per repository; undefined when `codeReferences` was not asked for. */
  codeReferences?: Map<string, Record<string, unknown>[]>;
}

/** The statistics of the project's flags, by flag key. */
export function codeReferencesByFlag(statistics: readonly FlagStatistic[], projectKey: string): Map<string, Record<string, unknown>[]> {
  const out = new Map<string, Record<string, unknown>[]>();
  for (const { projKey, flagKey, rep } of statistics) {
    if (projKey !== projectKey) continue;
    const reps = out.get(flagKey);
    if (reps) reps.push(rep);
    else out.set(flagKey, [rep]);
  }
  return out;
}

/**
 * Reads the expansions asked for, for these flags in these environments (those the response shows): one query each.
 * `statistics` gives the code references' statistics when the caller already read them (a filter on them).
 */
export async function loadFlagExpansions(
  db: Db,
  expand: ReadonlySet<FlagExpansion>,
  project: { key: string },
  environments: readonly EnvironmentRow[],
  flagKeys: readonly string[],
  now: number,
  statistics: () => Promise<FlagStatistic[]> = () => codeRefStatistics(db),
): Promise<FlagExpansions> {
  const out: FlagExpansions = {};
  if (expand.has('evaluation') && environments.length > 0 && flagKeys.length > 0) {
    out.evaluation = await kindsEvaluated(db, environments.map((env) => env.id), now, { flagKeys });
  }
  if (expand.has('codeReferences') && flagKeys.length > 0) out.codeReferences = codeReferencesByFlag(await statistics(), project.key);
  return out;
}

/** The flag's kinds evaluated in each environment, by environment id, when `evaluation` was asked for. */
export function evaluatedKindsOf(expansions: FlagExpansions, flagKey: string): ((environmentId: string) => string[]) | undefined {
  const evaluation = expansions.evaluation;
  return evaluation ? (environmentId) => evaluation.get(environmentId)?.get(flagKey) ?? [] : undefined;
}

/** The flag's code references' statistics, when `codeReferences` was asked for (`[]` when no repository refers to it). */
export function codeReferencesOf(expansions: FlagExpansions, flagKey: string): Record<string, unknown>[] | undefined {
  return expansions.codeReferences ? (expansions.codeReferences.get(flagKey) ?? []) : undefined;
}
