// SDK events' indexes for reading and for forgetting them:
// - results read an iteration's events a page at a time in (creation_date, id) order: with the id in the index, each
//   page is read from where the last one ended instead of sorting every event after it again;
// - retention deletes events, and the payload ids that guard against an SDK's retries, by when they were received.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sdk_events_environment_kind_key').execute();
  await db.schema.createIndex('sdk_events_environment_kind_key_order').on('sdk_events').columns(['environment_id', 'kind', 'key', 'creation_date', 'id']).execute();
  await db.schema.createIndex('sdk_events_received_at').on('sdk_events').column('received_at').execute();
  await db.schema.createIndex('sdk_event_payloads_received_at').on('sdk_event_payloads').column('received_at').execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
