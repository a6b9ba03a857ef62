// Workflows (LaunchDarkly's "Workflows"): a flag's stages in one environment, each waiting on its conditions (a
// schedule, an approval request) before its flag instructions are applied, run by the job in
// resources/workflows/run.ts. A workflow goes with its flag or environment; its status is a column so that the job
// finds the running ones. Workflow templates are the account's (any flag may start from one): they outlive the flag
// they were made from, and their key is unique.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flag_workflows')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flag_id', 'text', (c) => c.notNull().references('flags.id').onDelete('cascade'))
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flag_workflows_flag').on('flag_workflows').columns(['flag_id', 'environment_id', 'created_at']).execute();
  await db.schema.createIndex('flag_workflows_environment').on('flag_workflows').columns(['environment_id']).execute();
  await db.schema.createIndex('flag_workflows_status').on('flag_workflows').columns(['status', 'created_at']).execute();
  await db.schema
    .createTable('workflow_templates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
