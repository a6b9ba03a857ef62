// The contexts the SDKs send (the Contexts API): one row per context instance (a single context, or a multi-context's
// kinds together) and source application, with its latest attributes and when it was last seen; and the kind/key
// pairs of multi-context instances, so that the records of one context are found without reading every instance (a
// single context's instance id follows from its kind and key). Written with every events payload, so each row costs
// as few b-trees as it can: the key is the row (WITHOUT ROWID on SQLite), and nothing else is indexed.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const sqlite = !(db.getExecutor().adapter instanceof PostgresAdapter);
  await db.schema
    .createTable('context_instances')
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('application_id', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('context_instances_pk', ['environment_id', 'instance_id', 'application_id'])
    .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
    .execute();
  await db.schema
    .createTable('context_instance_kinds')
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('context_instance_kinds_pk', ['environment_id', 'instance_id', 'kind'])
    .execute();
  await db.schema.createIndex('context_instance_kinds_context').on('context_instance_kinds').columns(['environment_id', 'kind', 'key']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
