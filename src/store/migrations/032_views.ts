// Views (LaunchDarkly's "Views", beta): named groups of a project's flags and segments. A view goes with its project;
// a link goes with its view and with its flag or segment (deleting either drops the link, which is how a deleted
// flag or segment leaves every view). A segment is linked per environment, as segments are environment-scoped.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('views')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('views_project_key', ['project_id', 'key'])
    .execute();
  await db.schema
    .createTable('view_flags')
    .addColumn('view_id', 'text', (c) => c.notNull().references('views.id').onDelete('cascade'))
    .addColumn('flag_id', 'text', (c) => c.notNull().references('flags.id').onDelete('cascade'))
    .addColumn('linked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('view_flags_pk', ['view_id', 'flag_id'])
    .execute();
  // A flag's views (getLinkedViews), and the cascade when a flag is deleted.
  await db.schema.createIndex('view_flags_flag').on('view_flags').columns(['flag_id']).execute();
  await db.schema
    .createTable('view_segments')
    .addColumn('view_id', 'text', (c) => c.notNull().references('views.id').onDelete('cascade'))
    .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addColumn('linked_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('view_segments_pk', ['view_id', 'segment_id'])
    .execute();
  await db.schema.createIndex('view_segments_segment').on('view_segments').columns(['segment_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
