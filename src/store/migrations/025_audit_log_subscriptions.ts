// Integration audit log subscriptions (LaunchDarkly's "Integration audit log subscriptions"): per integration (datadog,
// slack, ...) a name, the integration's configuration, the statements that pick audit entries, on, tags. Stored only:
// iterlab delivers nothing to these services (docs/compatibility.md). The lists are read by integration, oldest first.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('audit_log_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('integration_key', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_subscriptions_by_integration').on('audit_log_subscriptions').columns(['integration_key', 'created_at', 'id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
