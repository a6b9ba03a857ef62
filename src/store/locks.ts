// Named locks for what a write checks but does not change: the references between resources (a flag's
// prerequisites, the segments a flag or a segment matches on), the stretches a layer's running experiments hold, and
// that a project other than the one being deleted remains. Under PostgreSQL's READ COMMITTED, a write adding a
// reference to a flag or segment and the deletion of that flag or segment each check what the other is changing, and
// neither sees it: both commit, and the reference names nothing. Both sides take the same named lock, and read after it.
import { sql } from 'kysely';
import type { Store, Trx } from './db.js';

/**
 * Holds each named lock until the transaction ends: PostgreSQL's transaction-scoped advisory locks, keyed by a hash of
 * the name (two names with one hash only wait for each other); nothing on SQLite, whose writers run one at a time.
 * They are taken in name order, so that two writes wanting the same ones cannot deadlock; a write takes them after the
 * row locks of what it changes, and waits for no other row lock after them.
 */
export async function lockNames(trx: Trx, store: Store, names: Iterable<string>): Promise<void> {
  if (store.kind !== 'postgres') return;
  for (const name of [...new Set(names)].sort()) await sql`select pg_advisory_xact_lock(hashtextextended(${name}, 0))`.execute(trx);
}
