// Engineering insights (LaunchDarkly's Insights APIs, beta): the deployments CI reports with deployment events (one row
// per deployment of an application version to an environment, its events and pull requests in `doc`), the LaunchDarkly
// projects a code references repository is associated with, and insight groups (a project, an environment and the
// applications whose scores are followed together). Flag events, charts and scores are computed from these, the audit
// log, the flags and the SDK events; nothing else is stored. Everything goes with its project (and environment).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('insight_deployments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('application_key', 'text', (c) => c.notNull())
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .execute();
  // The deployments of an environment in time order (lists, charts), and of one application version (events).
  await db.schema.createIndex('insight_deployments_env_started').on('insight_deployments').columns(['environment_id', 'started_at']).execute();
  await db.schema.createIndex('insight_deployments_version').on('insight_deployments').columns(['environment_id', 'application_key', 'version']).execute();
  await db.schema
    .createTable('insight_repository_projects')
    .addColumn('repository_key', 'text', (c) => c.notNull().references('code_ref_repositories.name').onDelete('cascade'))
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('insight_repository_projects_pk', ['repository_key', 'project_id'])
    .execute();
  await db.schema.createIndex('insight_repository_projects_project').on('insight_repository_projects').columns(['project_id']).execute();
  await db.schema
    .createTable('insight_groups')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
