// Release pipelines, releases and release policies (LaunchDarkly's beta release automation). A pipeline is a project's
// ordered phases of audiences (environments, optionally segments); a flag's release follows one pipeline's phases
// (one release per flag, kept once complete until replaced); a release policy is a project's preferred release method
// for some environments, ranked. Each goes with its project; a release also with its flag and its pipeline.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('release_pipelines')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('release_pipelines_key').on('release_pipelines').columns(['project_id', 'key']).unique().execute();
  await db.schema
    .createTable('flag_releases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flag_id', 'text', (c) => c.notNull().references('flags.id').onDelete('cascade'))
    .addColumn('pipeline_id', 'text', (c) => c.notNull().references('release_pipelines.id').onDelete('cascade'))
    // 1 until every phase is complete: the pipeline's progression counts and filters on it.
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // A flag has one release at a time.
  await db.schema.createIndex('flag_releases_flag').on('flag_releases').columns(['flag_id']).unique().execute();
  await db.schema.createIndex('flag_releases_pipeline').on('flag_releases').columns(['pipeline_id']).execute();
  await db.schema
    .createTable('release_policies')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('release_policies_key').on('release_policies').columns(['project_id', 'key']).unique().execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
