// Flag followers: the members who follow a flag in an environment (LaunchDarkly's "Follow flags"). A row goes with
// its flag, environment or member.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flag_followers')
    .addColumn('flag_id', 'text', (c) => c.notNull().references('flags.id').onDelete('cascade'))
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('flag_followers_pk', ['flag_id', 'environment_id', 'member_id'])
    .execute();
  await db.schema.createIndex('flag_followers_environment').on('flag_followers').columns(['environment_id']).execute();
  await db.schema.createIndex('flag_followers_member').on('flag_followers').columns(['member_id']).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
