// Opens the store (SQLite embedded default, or PostgreSQL), runs migrations, and gives one transaction helper.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Migration, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';
import * as m001 from './migrations/001_initial.js';
import * as m002 from './migrations/002_layers.js';

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
export type DbKind = 'sqlite' | 'postgres';

export const MIGRATIONS: Record<string, Migration> = {
  '001_initial': m001,
  '002_layers': m002,
};

// PostgreSQL int8 arrives as a string by default; every bigint we store is epoch ms, safely a number.
pg.types.setTypeParser(20, (value) => Number(value));

export interface StoreOptions {
  poolSize?: number;
  statementTimeoutMs?: number;
}

export class SchemaTooNewError extends Error {}

/** How many prepared statements a SQLite handle keeps; queries beyond it (odd `in (…)` arities) are re-prepared. */
export const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely's SQLite driver calls `prepare(sql)` on every query, and preparing (parsing and planning) cost more
 * than running our queries. The handle's prepare now answers the same SQL with the same statement, least
 * recently used dropped first. A statement still busy (an open iterator) is not shared: a fresh one is prepared.
 * SQLite re-prepares a cached statement by itself after a schema change (migrations).
 */
function cacheStatements(sqlite: SqliteDatabase.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SqliteDatabase.Statement>();
  sqlite.prepare = ((source: string) => {
    const hit = cache.get(source);
    if (hit && !hit.busy) {
      cache.delete(source);
      cache.set(source, hit);
      return hit;
    }
    const statement = prepare(source);
    if (!hit) {
      cache.set(source, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

export class Store {
  private constructor(
    readonly db: Db,
    readonly kind: DbKind,
    private readonly pool: pg.Pool | undefined,
  ) {}

  static open(url: string, options: StoreOptions = {}): Store {
    if (url.startsWith('sqlite:')) {
      const file = url.slice('sqlite:'.length);
      if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      const sqlite = new SqliteDatabase(file);
      // WAL + synchronous=NORMAL: a committed transaction survives a process crash (SIGKILL); only a
      // power loss can drop the last commits. foreign_keys enforces the cascades the schema declares.
      if (file !== ':memory:') sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma('busy_timeout = 5000');
      cacheStatements(sqlite);
      const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
      return new Store(db, 'sqlite', undefined);
    }
    const pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      statement_timeout: options.statementTimeoutMs || undefined,
    });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return new Store(db, 'postgres', pool);
  }

  /** Brings the schema up to date; refuses to run against a schema newer than this binary. */
  async migrate(): Promise<void> {
    const migrator = this.migrator();
    const known = await migrator.getMigrations();
    const executed = await this.executedMigrations();
    const unknown = executed.filter((name) => !(name in MIGRATIONS));
    if (unknown.length > 0) {
      throw new SchemaTooNewError(
        `the database schema is newer than this iterlab (it has migrations ${unknown.join(', ')} that this version does not know); upgrade iterlab`,
      );
    }
    if (known.every((mig) => mig.executedAt !== undefined)) return;
    const { error } = await migrator.migrateToLatest();
    if (error) throw error;
  }

  /** Runs the migrations up to and including `name` only (an import fits rows to the schema they came from). */
  async migrateTo(name: string): Promise<void> {
    const { error } = await this.migrator().migrateTo(name);
    if (error) throw error;
  }

  private migrator(): Migrator {
    return new Migrator({ db: this.db, provider: { getMigrations: async () => MIGRATIONS } });
  }

  /** The migrations this store has run, in order; empty when it has no schema yet. */
  async executedMigrations(): Promise<string[]> {
    try {
      const rows = await this.db
        .selectFrom('kysely_migration' as never)
        .select('name' as never)
        .orderBy('name' as never)
        .execute();
      return rows.map((row) => (row as { name: string }).name);
    } catch {
      return [];
    }
  }

  /** Runs fn in one transaction; every write in iterlab goes through here. */
  tx<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  poolStats(): { total: number; idle: number; waiting: number } | undefined {
    if (!this.pool) return undefined;
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

/** True when err is a unique-constraint violation on either database. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | undefined;
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
