// Multi-armed bandits: when a running bandit's traffic is next reallocated. Null for every other iteration; the job
// that reallocates reads the due ones by this column instead of parsing every running iteration.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('iterations').addColumn('reallocate_at', 'bigint').execute();
  await db.schema.createIndex('iterations_reallocate_at').on('iterations').columns(['reallocate_at']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
