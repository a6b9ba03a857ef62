// The SDKs' analytics events (POST /bulk), as received (what experiment results are computed from), and SDK keys
// that keep working for a while after they were reset.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sdk_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    // feature, custom, identify, index, summary, ... (the SDK's `kind`)
    .addColumn('kind', 'text', (c) => c.notNull())
    // The flag's key (feature) or the event's (custom); null for kinds without one.
    .addColumn('key', 'text')
    .addColumn('creation_date', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    // What results read, taken out of the event at intake so that they need not parse every event: the context's
    // keys by kind (JSON), a feature event's variation and whether it was in an experiment, a custom event's value.
    .addColumn('context_keys', 'text')
    .addColumn('variation', 'integer')
    .addColumn('in_experiment', 'integer')
    .addColumn('value', 'double precision')
    .addColumn('doc', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sdk_events_environment_kind_key').on('sdk_events').columns(['environment_id', 'kind', 'key', 'creation_date']).execute();

  // Payloads already stored, by the SDK's X-LaunchDarkly-Payload-ID: an SDK sends a payload again when it did not
  // hear the answer, and the second copy must not count twice.
  await db.schema
    .createTable('sdk_event_payloads')
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('payload_id', 'text', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sdk_event_payloads_pk', ['environment_id', 'payload_id'])
    .execute();

  // An SDK key replaced by resetEnvironmentSDKKey with an `expiry`: it works, beside the new one, until then.
  await db.schema
    .createTable('retired_sdk_keys')
    .addColumn('sdk_key', 'text', (c) => c.primaryKey())
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('retired_sdk_keys_environment').on('retired_sdk_keys').column('environment_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
