// Data Export destinations (LaunchDarkly's "Data Export destinations"): where an environment's events would be
// exported (Kinesis, Pub/Sub, mParticle, Segment, Azure Event Hubs, Snowflake...). iterlab stores each configuration
// faithfully and exports nothing. A destination goes with its environment. The account's one Snowflake key pair is
// kept beside them: Snowflake destinations name its public key, and the private key would sign the exports.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('destinations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('doc', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('destinations_environment').on('destinations').columns(['environment_id']).execute();
  await db.schema
    .createTable('destination_key_pairs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('private_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
