// Holdouts: one row per holdout of an environment, pointing at its base experiment (an experiment of type
// "holdout", whose iteration splits contexts between "In holdout" and "Not in holdout"); experiments in a holdout
// name it in `holdout_id`, so its members are one indexed read.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('holdouts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('experiment_id', 'text', (c) => c.notNull().references('experiments.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('flag_key', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('holdouts_environment_key', ['environment_id', 'key'])
    .execute();
  await db.schema.alterTable('experiments').addColumn('holdout_id', 'text').execute();
  await db.schema.createIndex('experiments_holdout').on('experiments').column('holdout_id').execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
