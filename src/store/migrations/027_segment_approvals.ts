// Segment approval requests: segment semantic-patch instructions for one segment (segments live in one environment),
// reviewed and applied as flag approval requests are. Their own table, since a request is of a flag or of a segment,
// and each goes with its resource. Segment approval settings need no table: they are in the environment's doc
// (`resourceApprovalSettings.segment`), beside its flag `approvalSettings`.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('segment_approval_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('review_status', 'text', (c) => c.notNull())
    .addColumn('requestor_id', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('segment_approval_requests_segment').on('segment_approval_requests').columns(['segment_id']).execute();
  await db.schema.createIndex('segment_approval_requests_environment').on('segment_approval_requests').columns(['environment_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
