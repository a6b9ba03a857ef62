// Results read an iteration's events a page at a time in (creation_date, id) order: with the id in the index, each
// page is read from where the last one ended instead of sorting every event after it again.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('sdk_events_environment_kind_key').execute();
  await db.schema.createIndex('sdk_events_environment_kind_key_order').on('sdk_events').columns(['environment_id', 'kind', 'key', 'creation_date', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
