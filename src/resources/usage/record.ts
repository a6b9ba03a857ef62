// Writes account usage: hourly counters added to (one upsert a batch of rows) and context keys seen each day (one
// insert that skips the keys already there). Rows go in key order, so that two writers lock the rows they share in
// the same order (PostgreSQL) and never wait on each other in a cycle.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db, Trx } from '../../store/db.js';
import { compareText } from '../../store/reads.js';
import { statement } from '../../store/statements.js';
import { WrittenToday } from '../../store/writtenToday.js';
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
 * A series' id: a hash of its metric, environment and dimensions (JSON), the same in every instance, so that a writer
 * names the series without reading it. 96 bits: two series of even millions sharing an id is not to be expected.
 */
export const seriesId = (metric: string, environmentId: string, dims: string) => createHash('sha256').update(JSON.stringify([metric, environmentId, dims])).digest('base64url').slice(0, 16);

/**
 * The keys of an events payload, in one statement whatever their number, from one JSON parameter of [series, period,
 * key] rows (bench/README.md, "Account usage's cost on the events' way in": built by Kysely 500 rows at a time they
 * cost more to build, send and parse than to store). SQLite needs `where true` before an upsert's `on conflict`.
 */
const insertKeys = statement({
  sqlite: 'insert into "usage_series_keys" ("series", "day", "key_hash") select value ->> 0, value ->> 1, value ->> 2 from json_each(?) where true on conflict do nothing',
  postgres: 'insert into "usage_series_keys" ("series", "day", "key_hash") select value ->> 0, (value ->> 1)::bigint, value ->> 2 from json_array_elements(?::json) on conflict do nothing',
});

/**
 * Records the keys as seen in `at`'s period (a key seen again then is already there): its day, or its hour for
 * experimentation keys (whose figures may be hourly). A key is stored under its series (its metric, environment and
 * dimensions: the payload's few, written first): a key row of three short columns costs about half the insert of one
 * that carried all five.
 */
export async function addKeys(db: Writer, environmentId: string, at: number, rows: readonly KeyRow[]): Promise<void> {
  if (rows.length === 0) return;
  const series = new Map<string, { id: string; metric: string; environment_id: string; dims: string }>();
  const keys = rows.map((r): [string, number, string] => {
    const name = `${r.metric}\u0000${r.dims.join('\u0000')}`;
    let found = series.get(name);
    if (!found) {
      const dims = JSON.stringify(r.dims);
      series.set(name, (found = { id: seriesId(r.metric, environmentId, dims), metric: r.metric, environment_id: environmentId, dims }));
    }
    return [found.id, periodOf(r.metric, at), r.key];
  });
  const values = [...series.values()].sort((a, b) => compareText(a.id, b.id));
  await db.insertInto('usage_series').values(values).onConflict((oc) => oc.column('id').doNothing()).execute();
  keys.sort((a, b) => compareText(a[0], b[0]) || a[1] - b[1] || compareText(a[2], b[2]));
  await insertKeys.run(db, [JSON.stringify(keys)]);
}

/**
 * The keys this instance wrote in the current period, so that a context seen again costs no write. Beyond 200,000
 * remembered keys the memory starts again.
 */
export class KeyMemory extends WrittenToday<KeyRow> {
  constructor() {
    super((environmentId, at, row) => `${periodOf(row.metric, at)}\u0000${environmentId}\u0000${row.metric}\u0000${row.dims.join('\u0000')}\u0000${row.key}`, 200_000);
  }
}
