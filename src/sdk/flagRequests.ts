// Which flags the SDKs evaluate, kept as their analytics events arrive: per environment and flag key, when it was last
// evaluated and the default value the code passed (what the flag status operations show).
import { sql } from 'kysely';
import type { Trx } from '../store/db.js';

/** Flag keys are at most 256 characters: a longer key in an event is no flag's, and is not kept. */
const MAX_FLAG_KEY_LENGTH = 256;
/** Rows an upsert carries: 5 parameters each, well under both databases' limits. */
const ROWS_PER_UPSERT = 500;

export interface FlagRequest {
  /** When the flag was last evaluated (epoch ms). */
  at: number;
  /** The default value the code passed, as JSON, in the latest evaluation that carried one. */
  defaultValue?: string;
  /** When that evaluation was. */
  defaultAt?: number;
}

/** The parts of an SDK event that tell of flag evaluations. */
interface EvaluationEvent {
  kind: string;
  key?: unknown;
  default?: unknown;
  prereqOf?: unknown;
  features?: unknown;
}

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

function note(requests: Map<string, FlagRequest>, key: unknown, at: number, defaultValue: unknown): void {
  if (typeof key !== 'string' || key === '' || key.length > MAX_FLAG_KEY_LENGTH) return;
  let request = requests.get(key);
  if (!request) requests.set(key, (request = { at }));
  else if (at > request.at) request.at = at;
  if (defaultValue !== undefined && (request.defaultAt === undefined || at >= request.defaultAt)) {
    request.defaultValue = JSON.stringify(defaultValue);
    request.defaultAt = at;
  }
}

/**
 * Adds the evaluations the event reports, at `at`, to `requests` (by flag key): a feature or debug event's flag, and
 * every flag a summary counts. A prerequisite's evaluation (`prereqOf`) counts, but its `default` is the SDK's, not
 * the code's, and is not kept.
 */
export function addFlagRequests(requests: Map<string, FlagRequest>, event: EvaluationEvent, at: number): void {
  if (event.kind === 'feature' || event.kind === 'debug') {
    note(requests, event.key, at, event.prereqOf === undefined ? event.default : undefined);
  } else if (event.kind === 'summary' && isRecord(event.features)) {
    for (const [key, counted] of Object.entries(event.features)) if (isRecord(counted)) note(requests, key, at, counted.default);
  }
}

/**
 * Records the requests for the environment: each flag key's latest evaluation and latest default, whichever of the
 * stored and the new is later (an SDK may send an older payload again after a newer one). Keys in order, so that two
 * writers lock the rows they share in the same order (PostgreSQL) and never wait on each other in a cycle.
 */
export async function recordFlagRequests(trx: Trx, environmentId: string, requests: Map<string, FlagRequest>): Promise<void> {
  const rows = [...requests]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, r]) => ({ environment_id: environmentId, flag_key: key, last_requested: r.at, default_value: r.defaultValue ?? null, default_seen_at: r.defaultAt ?? null }));
  const newerDefault = sql<boolean>`"excluded"."default_seen_at" is not null and ("flag_requests"."default_seen_at" is null or "excluded"."default_seen_at" > "flag_requests"."default_seen_at")`;
  for (let i = 0; i < rows.length; i += ROWS_PER_UPSERT) {
    await trx
      .insertInto('flag_requests')
      .values(rows.slice(i, i + ROWS_PER_UPSERT))
      .onConflict((oc) =>
        oc.columns(['environment_id', 'flag_key']).doUpdateSet({
          last_requested: sql<number>`case when "excluded"."last_requested" > "flag_requests"."last_requested" then "excluded"."last_requested" else "flag_requests"."last_requested" end`,
          default_value: sql<string | null>`case when ${newerDefault} then "excluded"."default_value" else "flag_requests"."default_value" end`,
          default_seen_at: sql<number | null>`case when ${newerDefault} then "excluded"."default_seen_at" else "flag_requests"."default_seen_at" end`,
        }),
      )
      .execute();
  }
}
