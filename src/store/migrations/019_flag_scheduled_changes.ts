// Scheduled changes (LaunchDarkly's "Scheduled changes"): flag semantic-patch instructions to apply to one
// environment's targeting at a date, by the job that looks for due ones. A schedule goes with its flag or environment.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flag_scheduled_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flag_id', 'text', (c) => c.notNull().references('flags.id').onDelete('cascade'))
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('execution_date', 'bigint', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flag_scheduled_changes_flag').on('flag_scheduled_changes').columns(['flag_id', 'environment_id']).execute();
  await db.schema.createIndex('flag_scheduled_changes_due').on('flag_scheduled_changes').columns(['execution_date']).execute();
  await db.schema.createIndex('flag_scheduled_changes_environment').on('flag_scheduled_changes').columns(['environment_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
