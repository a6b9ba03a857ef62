// Code references (LaunchDarkly's "Code references", what ld-find-code-refs sends): repositories, each with branches
// that hold the flag references found in them, and extinctions (a flag's last reference removed at a revision).
// Branches and extinctions go with their repository.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('code_ref_repositories')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('code_ref_branches')
    .addColumn('repo_name', 'text', (c) => c.notNull().references('code_ref_repositories.name').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('code_ref_branches_pk', ['repo_name', 'name'])
    .execute();
  await db.schema
    .createTable('code_ref_extinctions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('repo_name', 'text', (c) => c.notNull().references('code_ref_repositories.name').onDelete('cascade'))
    .addColumn('branch_name', 'text', (c) => c.notNull())
    .addColumn('proj_key', 'text', (c) => c.notNull())
    .addColumn('flag_key', 'text', (c) => c.notNull())
    .addColumn('time', 'bigint', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('code_ref_extinctions_flag').on('code_ref_extinctions').columns(['proj_key', 'flag_key']).execute();
  await db.schema.createIndex('code_ref_extinctions_repo').on('code_ref_extinctions').columns(['repo_name', 'branch_name']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
