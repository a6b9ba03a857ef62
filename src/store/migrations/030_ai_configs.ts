// AI Configs (LaunchDarkly's "AI Configs"): a project's configs, each backed by a flag of the same key whose variations
// SDKs evaluate (flag_id); every version of each config variation (a patch makes a new one); the project's AI model
// configs; and which model config keys the project restricts (LaunchDarkly's global model configs among them, which
// have no row here). Everything goes with its project; a config's variations go with the config.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ai_configs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('flag_id', 'text', (c) => c.notNull().references('flags.id').onDelete('cascade'))
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ai_configs_project_key', ['project_id', 'key'])
    .execute();
  await db.schema
    .createTable('ai_config_variations')
    .addColumn('config_id', 'text', (c) => c.notNull().references('ai_configs.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ai_config_variations_pk', ['config_id', 'key', 'version'])
    .execute();
  await db.schema
    .createTable('ai_model_configs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ai_model_configs_project_key', ['project_id', 'key'])
    .execute();
  await db.schema
    .createTable('ai_restricted_models')
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ai_restricted_models_pk', ['project_id', 'key'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
