// Layers (mutually exclusive experiments) and their per-environment traffic reservations.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('layers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('layers_project_key', ['project_id', 'key'])
    .execute();

  // A row per reserved experiment. An experiment row belongs to one environment, so the primary key on
  // experiment_id is the rule "an experiment is in at most one layer per environment", held by the database
  // even when two layers are patched at once; the cascades drop a reservation with its experiment or environment.
  await db.schema
    .createTable('layer_reservations')
    .addColumn('experiment_id', 'text', (c) => c.primaryKey().references('experiments.id').onDelete('cascade'))
    .addColumn('layer_id', 'text', (c) => c.notNull().references('layers.id').onDelete('cascade'))
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('reservation_percent', 'integer', (c) => c.notNull())
    // Order within the layer and environment: reservations are listed in the order they were added.
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('layer_reservations_layer_environment').on('layer_reservations').columns(['layer_id', 'environment_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
