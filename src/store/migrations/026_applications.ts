// Applications (LaunchDarkly's Applications API, beta): the applications and application versions the SDKs name in
// X-LaunchDarkly-Tags, added as they are first seen, and the flags each application's SDKs reported evaluating, per
// environment (what `expand=flags` lists). Versions go with their application, and the flags seen with their
// environment; the flags seen are not tied to the application by a foreign key: an events payload records them in
// its own transaction, and an application deleted meanwhile must not make that payload fail (they are deleted with
// the application, and read only beside it).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('applications')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('auto_added', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('application_versions')
    .addColumn('application_key', 'text', (c) => c.notNull().references('applications.key').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('supported', 'integer', (c) => c.notNull())
    .addColumn('auto_added', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('application_versions_pk', ['application_key', 'key'])
    .execute();
  await db.schema
    .createTable('application_flags')
    .addColumn('application_key', 'text', (c) => c.notNull())
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('flag_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('application_flags_pk', ['application_key', 'environment_id', 'flag_key'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
