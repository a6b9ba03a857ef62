// Relay Proxy configurations (LaunchDarkly's "Relay Proxy configurations"): a policy choosing environments, and the
// key a Relay Proxy in automatic configuration mode presents on /relay_auto_config. The key is kept only as its
// SHA-256 (it is shown once, as a token is); after a reset with an expiry the old key's hash works until then.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('relay_auto_configs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('old_key_hash', 'text')
    .addColumn('old_key_expires_at', 'bigint')
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_modified', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('relay_auto_configs_old_key').on('relay_auto_configs').columns(['old_key_hash']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
