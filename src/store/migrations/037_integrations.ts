// Integration configurations, delivery configurations and flag import configurations (LaunchDarkly's "Integrations
// (beta)", "Integration delivery configurations (beta)" and "Flag import configurations (beta)"). Each keeps its
// integration's config (secrets included) and the rest in a doc.
// - integration_configurations: account-wide, by integration key; a name is unique within its integration (409).
// - delivery_configurations: per environment (cascade with it), the edge feature stores its flag data would go to.
// - flag_import_configurations: per project (cascade with it), one per integration key (409); `status` is what the
//   import jobs (triggerFlagImportJob) last did, written by them and not by the other writes.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('integration_configurations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('integration_configurations_name', ['integration_key', 'name'])
    .execute();
  await db.schema.createIndex('integration_configurations_by_key').on('integration_configurations').columns(['integration_key', 'created_at', 'id']).execute();
  await db.schema
    .createTable('delivery_configurations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('integration_key', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('delivery_configurations_environment').on('delivery_configurations').columns(['environment_id', 'created_at', 'id']).execute();
  await db.schema
    .createTable('flag_import_configurations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('integration_key', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('flag_import_configurations_project_key', ['project_id', 'integration_key'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
