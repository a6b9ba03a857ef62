// Which context kinds evaluated each flag, per environment, to the UTC day: kept as the SDKs' analytics events arrive,
// for the flags' `expand=evaluation` and `filter=contextKindsEvaluated` ("evaluated in the past 30 days").
import { sql } from 'kysely';
import { isObject } from '../http/patch/resourcePatch.js';
import { isKind } from '../resources/contexts/instances.js';
import { DAY_MS, dayOf } from '../resources/usage/tally.js';
import type { Db, Trx } from '../store/db.js';
import { WrittenToday } from '../store/writtenToday.js';

/** Flag keys are at most 256 characters: a longer key in an event is no flag's, and is not kept. */
const MAX_FLAG_KEY_LENGTH = 256;
/** Rows an upsert carries: 4 parameters each, well under both databases' limits. */
const ROWS_PER_UPSERT = 500;

/** A flag evaluated for a context kind on a day (the start of its UTC day, epoch ms). */
export interface EvaluatedKind {
  flagKey: string;
  kind: string;
  day: number;
}

/** The parts of an SDK event that tell which kinds of context evaluated which flags. */
interface EvaluationEvent {
  kind: string;
  key?: unknown;
  features?: unknown;
  context?: unknown;
  contextKeys?: unknown;
  user?: unknown;
  userKey?: unknown;
}

/** The kinds of a feature or debug event's context: a context (single or multi), its contextKeys, or a user (older SDKs). */
function contextKindsOf(event: EvaluationEvent): string[] {
  const context = event.context;
  if (isObject(context)) {
    if (context.kind === 'multi') return Object.keys(context).filter((kind) => kind !== 'kind');
    return [typeof context.kind === 'string' ? context.kind : 'user'];
  }
  if (isObject(event.contextKeys)) return Object.keys(event.contextKeys);
  return event.user !== undefined || event.userKey !== undefined ? ['user'] : [];
}

function note(out: Map<string, EvaluatedKind>, flagKey: unknown, kinds: readonly unknown[], day: number): void {
  if (typeof flagKey !== 'string' || flagKey === '' || flagKey.length > MAX_FLAG_KEY_LENGTH) return;
  for (const kind of kinds) {
    if (typeof kind !== 'string' || !isKind(kind)) continue;
    const id = `${flagKey}\u0000${kind}`;
    const seen = out.get(id);
    if (!seen) out.set(id, { flagKey, kind, day });
    else if (day > seen.day) seen.day = day;
  }
}

/**
 * Adds the kinds the event reports evaluating flags, at `at`, to `out`: a feature or debug event's flag for its
 * context's kinds, and each flag a summary counts for its `contextKinds`. A summary without `contextKinds` is an SDK's
 * from before contexts, whose contexts were all users.
 */
export function addEvaluatedKinds(out: Map<string, EvaluatedKind>, event: EvaluationEvent, at: number): void {
  if (event.kind === 'feature' || event.kind === 'debug') {
    note(out, event.key, contextKindsOf(event), dayOf(at));
  } else if (event.kind === 'summary' && isObject(event.features)) {
    for (const [key, counted] of Object.entries(event.features)) {
      if (!isObject(counted)) continue;
      note(out, key, Array.isArray(counted.contextKinds) ? counted.contextKinds : ['user'], dayOf(at));
    }
  }
}

/**
 * The rows this instance wrote, so that a flag evaluated again for a kind on a day it was already recorded costs no
 * write. Beyond 100,000 remembered rows the memory starts again.
 */
export class EvaluatedKindsMemory extends WrittenToday<EvaluatedKind> {
  constructor() {
    super((environmentId, _at, row) => `${row.day}\u0000${environmentId}\u0000${row.flagKey}\u0000${row.kind}`, 100_000);
  }
}

/**
 * Records the rows for the environment: each flag and kind's latest day, whichever of the stored and the new is later.
 * Keys in order, so that two writers lock the rows they share in the same order (PostgreSQL).
 */
export async function recordEvaluatedKinds(trx: Trx, environmentId: string, rows: readonly EvaluatedKind[]): Promise<void> {
  const values = [...rows]
    .sort((a, b) => (a.flagKey < b.flagKey ? -1 : a.flagKey > b.flagKey ? 1 : a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))
    .map((row) => ({ environment_id: environmentId, flag_key: row.flagKey, context_kind: row.kind, last_day: row.day }));
  for (let i = 0; i < values.length; i += ROWS_PER_UPSERT) {
    await trx
      .insertInto('flag_context_kinds')
      .values(values.slice(i, i + ROWS_PER_UPSERT))
      .onConflict((oc) =>
        oc.columns(['environment_id', 'flag_key', 'context_kind']).doUpdateSet({
          last_day: sql<number>`case when "excluded"."last_day" > "flag_context_kinds"."last_day" then "excluded"."last_day" else "flag_context_kinds"."last_day" end`,
        }),
      )
      .execute();
  }
}

/** How far back "evaluated in the past 30 days" looks: today (UTC) and the 30 days before it. */
export const EVALUATION_WINDOW_DAYS = 30;

/** The first day that counts as within the window at `now`. */
export const windowStart = (now: number): number => dayOf(now) - EVALUATION_WINDOW_DAYS * DAY_MS;

/**
 * The context kinds that evaluated flags in these environments within the window, by environment id and flag key,
 * each list sorted; only the flags and kinds named when `only` names them. One query.
 */
export async function kindsEvaluated(
  db: Db | Trx,
  environmentIds: readonly string[],
  now: number,
  only: { flagKeys?: readonly string[]; kinds?: readonly string[] } = {},
): Promise<Map<string, Map<string, string[]>>> {
  const out = new Map<string, Map<string, string[]>>();
  if (environmentIds.length === 0 || only.flagKeys?.length === 0 || only.kinds?.length === 0) return out;
  let query = db
    .selectFrom('flag_context_kinds')
    .select(['environment_id', 'flag_key', 'context_kind'])
    .where('environment_id', 'in', [...environmentIds])
    .where('last_day', '>=', windowStart(now));
  if (only.flagKeys) query = query.where('flag_key', 'in', [...only.flagKeys]);
  if (only.kinds) query = query.where('context_kind', 'in', [...only.kinds]);
  for (const row of await query.execute()) {
    let byFlag = out.get(row.environment_id);
    if (!byFlag) out.set(row.environment_id, (byFlag = new Map()));
    const kinds = byFlag.get(row.flag_key);
    if (kinds) kinds.push(row.context_kind);
    else byFlag.set(row.flag_key, [row.context_kind]);
  }
  for (const byFlag of out.values()) for (const kinds of byFlag.values()) kinds.sort();
  return out;
}
