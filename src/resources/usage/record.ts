// Writes account usage: hourly counters added to (one upsert a batch of rows) and context keys seen each day (one
// insert that skips the keys already there). Rows go in key order, so that two writers lock the counters they share
// in the same order (PostgreSQL) and never wait on each other in a cycle.
import { sql } from 'kysely';
import type { Db, Trx } from '../../store/db.js';
import { compareText } from '../../store/reads.js';
import { dayOf, hourOf, METRIC, type CountRow, type KeyRow } from './tally.js';

/** Rows a statement carries: 6 parameters each, well under both databases' limits. */
const ROWS_PER_STATEMENT = 500;

/** The period a key is recorded in: its hour for experimentation keys (whose figures may be hourly), else its day. */
const periodOf = (metric: string, at: number) => (metric === METRIC.experimentationKeys ? hourOf(at) : dayOf(at));

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
    day: periodOf(r.metric, at),
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

/** Beyond this many remembered keys the memory starts again (each forgotten key costs one insert that adds nothing). */
const MAX_REMEMBERED = 200_000;

/**
 * The keys this instance wrote in the current period, so that a context seen again (most of an SDK's traffic) costs
 * no write: `fresh` leaves out those already written, `remember` notes those a committed payload wrote.
 */
export class KeyMemory {
  private readonly written = new Set<string>();
  private period = 0;

  private id(environmentId: string, at: number, row: KeyRow): string {
    return `${periodOf(row.metric, at)}\u0000${environmentId}\u0000${row.metric}\u0000${row.dims.join('\u0000')}\u0000${row.key}`;
  }

  fresh(environmentId: string, at: number, rows: readonly KeyRow[]): KeyRow[] {
    const day = dayOf(at);
    if (day !== this.period) {
      this.written.clear();
      this.period = day;
    }
    return rows.filter((row) => !this.written.has(this.id(environmentId, at, row)));
  }

  remember(environmentId: string, at: number, rows: readonly KeyRow[]): void {
    if (this.written.size + rows.length > MAX_REMEMBERED) this.written.clear();
    for (const row of rows) this.written.add(this.id(environmentId, at, row));
  }
}
