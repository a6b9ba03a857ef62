// Flag links (LaunchDarkly's "Flag links", beta): URLs of external resources (tickets, documents) associated with a
// flag, each with an optional key unique within its flag. A link goes with its flag.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flag_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flag_id', 'text', (c) => c.notNull().references('flags.id').onDelete('cascade'))
    .addColumn('key', 'text')
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // Keys are unique within a flag; links without one (null) do not collide.
  await db.schema.createIndex('flag_links_key').on('flag_links').columns(['flag_id', 'key']).unique().execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
