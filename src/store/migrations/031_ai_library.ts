// The AI library (LaunchDarkly's AI Configs tag, beside the AI Configs themselves): a project's AI tools, each with
// every version of its definition (a change to its description, schema or custom parameters makes a new version,
// which the AI Config variations that name a tool pin by number); its prompt snippets; and its agent graphs (a root
// AI Config and the edges between AI Configs, kept in the graph's doc: they are only ever read and replaced whole).
// Everything goes with its project; a tool's versions go with the tool.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('ai_tools')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    // The newest version's number: the one getAITool and listAITools show.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('ai_tools_project_key', ['project_id', 'key'])
    .execute();
  await db.schema
    .createTable('ai_tool_versions')
    .addColumn('tool_id', 'text', (c) => c.notNull().references('ai_tools.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ai_tool_versions_pk', ['tool_id', 'version'])
    .execute();
  await db.schema
    .createTable('prompt_snippets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('prompt_snippets_project_key', ['project_id', 'key'])
    .execute();
  await db.schema
    .createTable('agent_graphs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('agent_graphs_project_key', ['project_id', 'key'])
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
