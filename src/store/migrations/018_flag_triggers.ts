// Flag triggers (LaunchDarkly's "Flag triggers"): an unguessable URL that turns a flag's targeting on or off in one
// environment when POSTed to. The URL's secret part is kept only as its SHA-256 (it is shown once, as a token is).
// A trigger goes with its flag or environment.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flag_triggers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flag_id', 'text', (c) => c.notNull().references('flags.id').onDelete('cascade'))
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('secret_hash', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flag_triggers_flag').on('flag_triggers').columns(['flag_id', 'environment_id']).execute();
  await db.schema.createIndex('flag_triggers_environment').on('flag_triggers').columns(['environment_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
