// Account usage (LaunchDarkly's "Account usage", beta): what the SDK data plane receives, counted as it arrives.
// usage_counts holds hourly counters (events received by kind, flag evaluations by variation, experimentation
// events, stream connections and their connected minutes), each keyed by a metric, an environment, the hour and the
// series' dimensions (a JSON array of strings); usage_keys holds the distinct context keys seen each day (a long key hashed), by
// metric and dimensions, from which monthly active users and experimentation keys are counted. Neither table follows
// its environment's deletion: the account used what it used.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('usage_counts')
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('hour', 'bigint', (c) => c.notNull())
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('dims', 'text', (c) => c.notNull())
    .addColumn('count', 'bigint', (c) => c.notNull())
    .addColumn('minutes', 'double precision', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_counts_pk', ['metric', 'hour', 'environment_id', 'dims'])
    .execute();
  await db.schema
    .createTable('usage_keys')
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('day', 'bigint', (c) => c.notNull())
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('dims', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_keys_pk', ['metric', 'day', 'environment_id', 'dims', 'key_hash'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
