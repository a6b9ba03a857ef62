// A member's email is unique without case: "Sandy@acme.com" and "sandy@acme.com" are one address. postMembers checks
// this before it writes; the index makes two concurrent invitations of the same address end in one member.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('members_email_lower').on('members').unique().expression(sql`lower("email")`).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
