// SDK keys beyond an environment's own (SDK Keys, beta): each a named server-side (`sdk`) or mobile key of one
// environment, found by its value on every SDK request (unique), by its user-defined key within the environment, and
// gone with its environment. The account's IP allowlist (beta): its entries, and the account's settings (one row per
// setting, `ip-allowlist` holding whether the allowlist is enforced), as documents.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sdk_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'bigint')
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('sdk_keys_environment_key', ['environment_id', 'key'])
    .execute();
  await db.schema
    .createTable('ip_allowlist_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ip_address', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('account_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
