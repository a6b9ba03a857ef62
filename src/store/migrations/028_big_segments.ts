// Big segments' membership: one row per context key a big segment includes or excludes (a key may be both), apart
// from the segment's JSON document, since a big segment may hold millions of keys. The primary key serves both
// reads: a key's membership in a segment (segment_id, context_key) and each add/remove; rows go with their segment.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('big_segment_targets')
    .addColumn('segment_id', 'text', (c) => c.notNull().references('segments.id').onDelete('cascade'))
    .addColumn('context_key', 'text', (c) => c.notNull())
    // 'included' or 'excluded'.
    .addColumn('side', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('big_segment_targets_pk', ['segment_id', 'context_key', 'side'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
