// Account usage's keys, narrower. A key seen was a row of usage_keys whose primary key was all five of its text columns
// (metric, period, environment, dimensions as JSON, key), and an events payload's new keys cost a fifth of its
// transaction on PostgreSQL (bench/README.md, "Account usage's cost on the events' way in"). Now the metric,
// environment and dimensions are a series (usage_series: a few rows, each named by a hash of them) and a key seen is
// a row of series, period and key (usage_series_keys), about half the insert's cost. Existing rows are converted.
import type { Kysely } from 'kysely';
// The intake's own series ids, not a frozen copy: converted keys and those written afterwards share their series.
import { seriesId } from '../../resources/usage/record.js';

/** Rows an insert carries: 4 parameters each. */
const ROWS_PER_INSERT = 500;

export async function up(schema: Kysely<unknown>): Promise<void> {
  const db = schema as Kysely<any>;
  await db.schema
    .createTable('usage_series')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('dims', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('usage_series_keys')
    .addColumn('series', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_series_keys_pk', ['series', 'day', 'key_hash'])
    .execute();
  const series: { metric: string; environment_id: string; dims: string }[] = await db.selectFrom('usage_keys').select(['metric', 'environment_id', 'dims']).distinct().execute();
  const rows = series.map((s) => ({ id: seriesId(s.metric, s.environment_id, s.dims), ...s }));
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await db.insertInto('usage_series').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
  await db
    .insertInto('usage_series_keys')
    .columns(['series', 'day', 'key_hash'])
    .expression(
      db
        .selectFrom('usage_keys as k')
        .innerJoin('usage_series as s', (j) => j.onRef('s.metric', '=', 'k.metric').onRef('s.environment_id', '=', 'k.environment_id').onRef('s.dims', '=', 'k.dims'))
        .select(['s.id', 'k.day', 'k.key_hash']),
    )
    .execute();
  await db.schema.dropTable('usage_keys').execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
