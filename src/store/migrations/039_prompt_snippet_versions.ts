// Prompt snippets' versions (the 2026-07 spec reads, updates and lists the versions of a snippet): every version of a
// snippet's content (name, description, text, tags), which the AI Config variations that include a snippet pin by
// number (`{{snippet.key#version}}`). The snippet's own row keeps its key, its newest version's number and what every
// version shares (its maintainer). Each snippet made before this migration becomes its version 1, as it was made.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('prompt_snippet_versions')
    .addColumn('snippet_id', 'text', (c) => c.notNull().references('prompt_snippets.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('prompt_snippet_versions_pk', ['snippet_id', 'version'])
    .execute();
  await sql`insert into prompt_snippet_versions (snippet_id, version, doc, created_at) select id, version, doc, created_at from prompt_snippets`.execute(db);
  await sql`update prompt_snippets set doc = '{}'`.execute(db);
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
