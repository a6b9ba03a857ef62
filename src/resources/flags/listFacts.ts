// The flag list's filters that read beyond the flags themselves: experiments (`hasExperiment`), the SDKs'
// evaluations (`evaluated`, `applicationEvaluated`, `contextKindsEvaluated`), code references
// (`codeReferences.min`/`.max`) and guarded rollouts (`guardedRollout`). getFeatureFlags applies them beside the
// flags' own filter (listFilter.ts).
import { validationFailed } from '../../http/errors.js';
import type { Db } from '../../store/db.js';
import { kindsEvaluated } from '../../sdk/evaluatedKinds.js';
import { isKind } from '../contexts/instances.js';
import type { FlagStatistic } from '../code-refs/statistics.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { codeReferencesByFlag } from './expansions.js';

/** The filter fields read here. */
export const FLAG_FACT_FILTER_FIELDS = ['hasExperiment', 'evaluated', 'applicationEvaluated', 'codeReferences.min', 'codeReferences.max', 'guardedRollout', 'contextKindsEvaluated'];

/** LaunchDarkly's guarded rollout states; iterlab runs no guarded rollout, so no flag is in any of them. */
const GUARDED_ROLLOUT_STATES = ['any', 'monitoring', 'regressed', 'rolledBack', 'completed', 'archived'];

function bad(reason: string): never {
  throw validationFailed([{ attribute: 'filter', reason }]);
}

function count(filter: Map<string, string>, field: string): number | undefined {
  const text = filter.get(field);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) bad(`${field} must be a whole number, not "${text}"`);
  return Number(text);
}

function evaluatedAfter(text: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return bad(`evaluated must be a JSON object such as {"after":1690527600000}, not ${text}`);
  }
  const after = (parsed as { after?: unknown } | null)?.after;
  if (typeof after !== 'number' || !Number.isFinite(after)) return bad('evaluated must give "after" as a Unix time in milliseconds');
  return after;
}

/** Flag keys used by an iteration of one of the project's experiments that are not archived. */
async function experimentFlagKeys(db: Db, projectId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('experiment_refs as r')
    .innerJoin('experiments as e', 'e.id', 'r.experiment_id')
    .select('r.key')
    .distinct()
    .where('e.project_id', '=', projectId)
    .where('e.archived_date', 'is', null)
    .where('r.kind', '=', 'flag')
    .execute();
  return new Set(rows.map((r) => r.key));
}

/** References (hunks) to each of the project's flags on the default branches of the repositories, by flag key. */
function codeReferenceCounts(statistics: readonly FlagStatistic[], projectKey: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [flagKey, reps] of codeReferencesByFlag(statistics, projectKey)) counts.set(flagKey, reps.reduce((sum, rep) => sum + Number(rep.hunkCount), 0));
  return counts;
}

/** The context kinds `contextKindsEvaluated` lists (`+`-separated; an unencoded `+` arrives as a space). */
function contextKindsListed(text: string): string[] {
  const kinds = text.split(/[+ ]/).map((kind) => kind.trim()).filter(Boolean);
  if (kinds.length === 0) bad('contextKindsEvaluated must list context kinds, +-separated (e.g. contextKindsEvaluated:user+device)');
  const wrong = kinds.find((kind) => !isKind(kind));
  if (wrong !== undefined) bad(`contextKindsEvaluated: "${wrong}" is not a context kind (letters, digits, ".", "_" and "-")`);
  return kinds;
}

/** What the filters read here need beside the store: the time, and the code references' statistics (read once). */
export interface FactSources {
  now: number;
  statistics: () => Promise<FlagStatistic[]>;
}

/**
 * One test of a flag's key for the filter's fields read here, or undefined when it names none of them.
 * `filterEnvironment` is the environment `filterEnv` names (required by `evaluated`); without it,
 * `applicationEvaluated` and `contextKindsEvaluated` look in every environment of the project.
 */
export async function flagFactsFilter(
  db: Db,
  project: { id: string; key: string },
  environments: readonly EnvironmentRow[],
  filterEnvironment: EnvironmentRow | undefined,
  filter: Map<string, string>,
  sources: FactSources,
): Promise<((key: string) => boolean) | undefined> {
  const tests: ((key: string) => boolean)[] = [];

  const hasExperiment = filter.get('hasExperiment');
  if (hasExperiment !== undefined) {
    if (hasExperiment !== 'true' && hasExperiment !== 'false') bad(`hasExperiment must be true or false, not "${hasExperiment}"`);
    const used = await experimentFlagKeys(db, project.id);
    tests.push((key) => used.has(key) === (hasExperiment === 'true'));
  }

  const evaluated = filter.get('evaluated');
  if (evaluated !== undefined) {
    const after = evaluatedAfter(evaluated);
    if (!filterEnvironment) bad('evaluated needs filterEnv, the environment whose evaluations count (e.g. evaluated:{"after":1690527600000},filterEnv:production)');
    const rows = await db.selectFrom('flag_requests').select('flag_key').where('environment_id', '=', filterEnvironment.id).where('last_requested', '>=', after).execute();
    const keys = new Set(rows.map((r) => r.flag_key));
    tests.push((key) => keys.has(key));
  }

  const application = filter.get('applicationEvaluated');
  if (application !== undefined) {
    if (application === '') bad('applicationEvaluated must name an application key');
    const ids = (filterEnvironment ? [filterEnvironment] : environments).map((env) => env.id);
    const rows = ids.length === 0 ? [] : await db.selectFrom('application_flags').select('flag_key').where('application_key', '=', application).where('environment_id', 'in', ids).execute();
    const keys = new Set(rows.map((r) => r.flag_key));
    tests.push((key) => keys.has(key));
  }

  const min = count(filter, 'codeReferences.min');
  const max = count(filter, 'codeReferences.max');
  if (min !== undefined || max !== undefined) {
    const counts = codeReferenceCounts(await sources.statistics(), project.key);
    tests.push((key) => {
      const references = counts.get(key) ?? 0;
      return (min === undefined || references >= min) && (max === undefined || references <= max);
    });
  }

  const guarded = filter.get('guardedRollout');
  if (guarded !== undefined) {
    if (!GUARDED_ROLLOUT_STATES.includes(guarded)) bad(`guardedRollout must be one of ${GUARDED_ROLLOUT_STATES.join(', ')}, not "${guarded}"`);
    tests.push(() => false);
  }

  const kindsText = filter.get('contextKindsEvaluated');
  if (kindsText !== undefined) {
    const kinds = contextKindsListed(kindsText);
    const ids = (filterEnvironment ? [filterEnvironment] : environments).map((env) => env.id);
    // Each kind evaluated in one of the environments, not necessarily all in the same one.
    const evaluated = new Map<string, Set<string>>();
    for (const byFlag of (await kindsEvaluated(db, ids, sources.now, { kinds })).values()) {
      for (const [flagKey, flagKinds] of byFlag) {
        const seen = evaluated.get(flagKey) ?? new Set();
        for (const kind of flagKinds) seen.add(kind);
        evaluated.set(flagKey, seen);
      }
    }
    tests.push((key) => kinds.every((kind) => evaluated.get(key)?.has(kind) === true));
  }

  return tests.length === 0 ? undefined : (key) => tests.every((passes) => passes(key));
}
