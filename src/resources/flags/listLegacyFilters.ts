// The flag list's filters that API version 20240415 removed and older versions still take: `status` (the flag's
// status in `filterEnv`'s environment, as getFeatureFlagStatus names it) and `followerId` (flags that member follows).
import { validationFailed } from '../../http/errors.js';
import type { Db } from '../../store/db.js';
import type { EnvironmentRow } from '../environments/environments.js';
import { flagRequestsIn, flagStatus, type FlagStatusName } from './flagStatus.js';
import { loadConfigs, type FlagDoc, type FlagRow } from './model.js';

/** The fields read here, taken before API version 20240415 only. */
export const FLAG_LEGACY_FILTER_FIELDS = ['status', 'followerId'];

const STATUSES: FlagStatusName[] = ['new', 'active', 'inactive', 'launched'];

function bad(reason: string): never {
  throw validationFailed([{ attribute: 'filter', reason }]);
}

/** Checks the fields before any flag is read (a 400 writes and reads nothing). */
export function checkLegacyFilter(filter: Map<string, string>): void {
  const status = filter.get('status');
  if (status === undefined) return;
  if (!STATUSES.includes(status as FlagStatusName)) bad(`status must be one of ${STATUSES.join(', ')}, not "${status}"`);
  if (!filter.has('filterEnv')) bad('status needs filterEnv, the environment whose status counts (e.g. status:active,filterEnv:production)');
}

/** Which of `flags` pass `status` and `followerId`; undefined when neither is asked for. */
export async function legacyFilter(
  db: Db,
  flags: readonly { row: FlagRow; doc: FlagDoc }[],
  filter: Map<string, string>,
  filterEnvironment: EnvironmentRow | undefined,
  now: number,
): Promise<Set<string> | undefined> {
  const status = filter.get('status');
  const followerId = filter.get('followerId');
  if (status === undefined && followerId === undefined) return undefined;
  let kept = flags;
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
