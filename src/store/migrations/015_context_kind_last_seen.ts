// Context kinds: when a context of the kind was last seen in the SDKs' events (ContextKindRep's `lastSeen`).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('context_kinds').addColumn('last_seen', 'bigint').execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
