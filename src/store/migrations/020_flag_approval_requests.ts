// Approval requests (LaunchDarkly's "Approvals"): flag semantic-patch instructions for one environment's targeting,
// reviewed by members and applied once approved. A request goes with its flag or environment; its status and review
// status are columns so that lists filter on them.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flag_approval_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('flag_id', 'text', (c) => c.notNull().references('flags.id').onDelete('cascade'))
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_status', 'text', (c) => c.notNull())
    .addColumn('requestor_id', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('flag_approval_requests_flag').on('flag_approval_requests').columns(['flag_id', 'environment_id']).execute();
  await db.schema.createIndex('flag_approval_requests_project').on('flag_approval_requests').columns(['project_id', 'created_at']).execute();
  await db.schema.createIndex('flag_approval_requests_environment').on('flag_approval_requests').columns(['environment_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
