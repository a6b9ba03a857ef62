// The hottest statements, written once as SQL text. Kysely builds, freezes and compiles a query tree on every
// call (3–5 µs each, about a fifth of a write's JavaScript time in the create-iteration profile); these skip that
// and go straight to the driver, in the same connection and transaction as the builder's queries.
import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { Db, DbKind, Trx } from './db.js';

const kinds = new WeakMap<object, DbKind>();

/**
 * Which database a Kysely instance or transaction talks to. Kysely has no public accessor for its dialect; the
 * executor's adapter is shared by an instance and its transactions, so the answer is looked up once per store.
 */
function dialectOf(db: Db | Trx): DbKind {
  const adapter = db.getExecutor().adapter;
  let kind = kinds.get(adapter);
  if (!kind) {
    kind = adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
    kinds.set(adapter, kind);
  }
  return kind;
}

/** `?` placeholders (SQLite) as `$1, $2, …` (PostgreSQL). The statements here hold no `?` of their own. */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

export interface Statement<R> {
  /** The SQL with `?` placeholders (SQLite's form). */
  readonly sql: string;
  /** Runs the statement with params (one per `?`, in order) and returns its rows (none for a write). */
  run(db: Db | Trx, params: readonly unknown[]): Promise<R[]>;
}

/**
 * A statement written with `?` placeholders; where the databases' SQL differs, write one statement for each, or (when
 * the callers need not know which database they write to, as with the same parameters) one text for each database.
 */
export function statement<R = never>(text: string | Record<DbKind, string>): Statement<R> {
  const texts: Record<DbKind, string> = typeof text === 'string' ? { sqlite: text, postgres: numbered(text) } : { sqlite: text.sqlite, postgres: numbered(text.postgres) };
  return {
    sql: texts.sqlite,
    async run(db, params) {
      const result = await db.executeQuery<R>(CompiledQuery.raw(texts[dialectOf(db)], params as unknown[]));
      return result.rows;
    },
  };
}

/** `?, ?, …` n times: for `in (…)` lists and multi-row inserts, whose statements are made once per arity. */
export function placeholders(n: number, row = '?'): string {
  return Array.from({ length: n }, () => row).join(', ');
}

/** One statement per arity, made on first use (few arities occur: the lists are short). */
export function byArity<R>(make: (n: number) => Statement<R>): (n: number) => Statement<R> {
  const made = new Map<number, Statement<R>>();
  return (n) => {
    let found = made.get(n);
    if (!found) made.set(n, (found = make(n)));
    return found;
  };
}
