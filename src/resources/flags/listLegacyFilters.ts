// The flag list's filters that API version 20240415 removed and older versions still take: `status` (the flag's
// status in `filterEnv`'s environment, as getFeatureFlagStatus names it), `followerId` (flags that member follows),
// `segmentTargeted` (a rule of the targeting in `filterEnv` matches that segment) and `contextKindTargeted` (the
// targeting targets contexts of that kind: individual targets or rule clauses).
import { validationFailed } from '../../http/errors.js';
import type { Db } from '../../store/db.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { flagRequestsIn, flagStatus, type FlagStatusName } from './flagStatus.js';
import { loadConfigs, type FlagConfigDoc, type FlagDoc, type FlagRow } from './model.js';

/** The fields read here, taken before API version 20240415 only. */
export const FLAG_LEGACY_FILTER_FIELDS = ['status', 'followerId', 'segmentTargeted', 'contextKindTargeted'];

const STATUSES: FlagStatusName[] = ['new', 'active', 'inactive', 'launched'];

function bad(reason: string): never {
  throw validationFailed([{ attribute: 'filter', reason }]);
}

/** Checks the fields before any flag is read (a 400 writes and reads nothing). */
export function checkLegacyFilter(filter: Map<string, string>): void {
  const status = filter.get('status');
  if (status !== undefined && !STATUSES.includes(status as FlagStatusName)) bad(`status must be one of ${STATUSES.join(', ')}, not "${status}"`);
  for (const field of ['status', 'segmentTargeted']) {
    if (filter.has(field) && !filter.has('filterEnv')) bad(`${field} needs filterEnv, the environment whose targeting counts (e.g. ${field}:${filter.get(field)},filterEnv:production)`);
  }
}

/** Whether the targeting has a rule matching the segment. */
function targetsSegment(config: FlagConfigDoc, segmentKey: string): boolean {
  return config.rules.some((rule) => rule.clauses.some((clause) => clause.op === 'segmentMatch' && clause.values.includes(segmentKey)));
}

/** Whether the targeting targets contexts of the kind: individual targets with values, or a rule's attribute clause. */
function targetsKind(config: FlagConfigDoc, kind: string): boolean {
  if (kind === 'user' && config.targets.some((target) => target.values.length > 0)) return true;
  if (config.contextTargets.some((target) => (target.contextKind ?? 'user') === kind && target.values.length > 0)) return true;
  return config.rules.some((rule) => rule.clauses.some((clause) => clause.op !== 'segmentMatch' && (clause.contextKind ?? 'user') === kind));
}

/** Which of `flags` pass the legacy filters asked for; undefined when none is. */
export async function legacyFilter(
  db: Db,
  flags: readonly { row: FlagRow; doc: FlagDoc }[],
  filter: Map<string, string>,
  filterEnvironment: EnvironmentRow | undefined,
  allEnvironments: readonly EnvironmentRow[],
  now: number,
): Promise<Set<string> | undefined> {
  const status = filter.get('status');
  const followerId = filter.get('followerId');
  const segmentKey = filter.get('segmentTargeted');
  const kind = filter.get('contextKindTargeted');
  if (status === undefined && followerId === undefined && segmentKey === undefined && kind === undefined) return undefined;
  let kept = flags;
  if (segmentKey !== undefined || kind !== undefined) {
    const environmentIds = (filterEnvironment ? [filterEnvironment] : allEnvironments).map((env) => env.id);
    const configs = await loadConfigs(db, kept.map((f) => f.row.id), environmentIds);
    const targeted = (flagId: string, test: (config: FlagConfigDoc) => boolean) => [...(configs.get(flagId)?.values() ?? [])].some(test);
    if (segmentKey !== undefined) kept = kept.filter(({ row }) => targeted(row.id, (config) => targetsSegment(config, segmentKey)));
    if (kind !== undefined) kept = kept.filter(({ row }) => targeted(row.id, (config) => targetsKind(config, kind)));
  }
  if (status !== undefined && filterEnvironment) {
    const configs = await loadConfigs(db, kept.map((f) => f.row.id), [filterEnvironment.id]);
    const requests = await flagRequestsIn(db, filterEnvironment.id);
    kept = kept.filter(({ row, doc }) => {
      const config = configs.get(row.id)?.get(filterEnvironment.id);
      return flagStatus(doc, config, requests.get(row.key), now).name === status;
    });
  }
  if (followerId !== undefined) {
    let query = db.selectFrom('flag_followers').select('flag_id').distinct().where('member_id', '=', followerId);
    if (filterEnvironment) query = query.where('environment_id', '=', filterEnvironment.id);
    const followed = new Set((await query.execute()).map((r) => r.flag_id));
    kept = kept.filter(({ row }) => followed.has(row.id));
  }
  return new Set(kept.map((f) => f.row.id));
}
