// Expiring targets: when a context leaves a flag's individual targeting (or a segment's included/excluded list) by
// itself. One row per scheduled removal; `slot` is what may be scheduled once (a context on a flag, or on one list
// of a segment), and the job that removes them reads them by due date.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('expiring_targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('environment_id', 'text', (c) => c.notNull())
    .addColumn('slot', 'text', (c) => c.notNull().unique())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('expiration_date', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('expiring_targets_due').on('expiring_targets').columns(['expiration_date']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
