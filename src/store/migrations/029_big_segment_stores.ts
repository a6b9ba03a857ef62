// Persistent store integrations (LaunchDarkly's "Persistent store integrations (beta)"): per environment, the Redis or
// DynamoDB that iterlab keeps its big segments' membership synced into. The config (secrets included) and the rest in
// a doc; the sync's outcome in `status`, written by the sync and not by the REST writes. Rows go with their
// environment (and so with its project).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('big_segment_stores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('integration_key', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('big_segment_stores_environment').on('big_segment_stores').columns(['environment_id', 'created_at', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
