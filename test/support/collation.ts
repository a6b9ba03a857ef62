// Gives columns a linguistic collation on PostgreSQL, as a database created with one (en_US.UTF-8) has: such a
// collation orders "a" before "B", code-unit order (SQLite's, and the C collation the test databases use) the reverse.
import { sql } from 'kysely';
import type { Store } from '../../src/store/db.js';

export async function collateLinguistically(store: Store, columns: [table: string, column: string][]): Promise<void> {
  if (store.kind !== 'postgres') return;
  for (const [table, column] of columns) await sql.raw(`alter table "${table}" alter column "${column}" type text collate "en-x-icu"`).execute(store.db);
}
