// Agent optimizations (AgentControl, beside AI Configs): a project's optimization configs, each naming the AI Config
// it improves and how a run judges candidates (the newest version in the doc; `version` counts the updates), and the
// results clients post for their runs: one row per run and iteration, pinned to the optimization's version the run
// used. iterlab runs no optimizer; a result is what a client sent. Results go with their optimization, optimizations
// with their project.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agent_optimizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    // When the current version was made.
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('agent_optimizations_project_key', ['project_id', 'key'])
    .execute();
  await db.schema
    .createTable('agent_optimization_results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('optimization_id', 'text', (c) => c.notNull().references('agent_optimizations.id').onDelete('cascade'))
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('iteration', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('activity', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .addUniqueConstraint('agent_optimization_results_run_iteration', ['optimization_id', 'run_id', 'iteration'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
