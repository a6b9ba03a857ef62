// Writes account usage: hourly counters added to (one upsert a batch of rows) and context keys seen each day (one
// insert that skips the keys already there). Rows go in key order, so that two writers lock the counters they share
// in the same order (PostgreSQL) and never wait on each other in a cycle.
import { sql } from 'kysely';
import type { Db, Trx } from '../../store/db.js';
import { compareText } from '../../store/reads.js';
import { dayOf, hourOf, METRIC, type CountRow, type KeyRow } from './tally.js';

/** Rows a statement carries: 6 parameters each, well under both databases' limits. */
const ROWS_PER_STATEMENT = 500;

type Writer = Db | Trx;

export interface HourlyCount extends CountRow {
  environmentId: string;
  hour: number;
}

/** Adds each row's count and minutes to its hour's counter. */
export async function addCounts(db: Writer, rows: readonly HourlyCount[]): Promise<void> {
  const values = rows
    .map((r) => ({ metric: r.metric, hour: hourOf(r.hour), environment_id: r.environmentId, dims: JSON.stringify(r.dims), count: r.count, minutes: r.minutes }))
    .sort((a, b) => compareText(a.metric, b.metric) || a.hour - b.hour || compareText(a.environment_id, b.environment_id) || compareText(a.dims, b.dims));
  for (let i = 0; i < values.length; i += ROWS_PER_STATEMENT) {
    await db
      .insertInto('usage_counts')
      .values(values.slice(i, i + ROWS_PER_STATEMENT))
      .onConflict((oc) =>
        oc.columns(['metric', 'hour', 'environment_id', 'dims']).doUpdateSet({
          count: sql<number>`"usage_counts"."count" + "excluded"."count"`,
          minutes: sql<number>`"usage_counts"."minutes" + "excluded"."minutes"`,
        }),
      )
      .execute();
  }
}

/**
 * Records the keys as seen in `at`'s period (a key seen again then is already there): its day, or its hour for
 * experimentation keys (whose figures may be hourly).
 */
export async function addKeys(db: Writer, environmentId: string, at: number, rows: readonly KeyRow[]): Promise<void> {
  const values = rows.map((r) => ({
    metric: r.metric,
    day: r.metric === METRIC.experimentationKeys ? hourOf(at) : dayOf(at),
    environment_id: environmentId,
    dims: JSON.stringify(r.dims),
    key_hash: r.key,
  }));
  for (let i = 0; i < values.length; i += ROWS_PER_STATEMENT) {
    await db
      .insertInto('usage_keys')
      .values(values.slice(i, i + ROWS_PER_STATEMENT))
      .onConflict((oc) => oc.columns(['metric', 'day', 'environment_id', 'dims', 'key_hash']).doNothing())
      .execute();
  }
}
