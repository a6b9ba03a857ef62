// SQLite through better-sqlite3: a writer connection for transactions and, for a database file, a second
// read-only connection that reads outside them, and a writer thread for checked writes (sqliteThread.ts).
//
// Kysely's own SQLite driver has one connection behind a mutex, so a read waited for any open transaction; with
// group commit (Store.tx) a transaction stays open across turns of the event loop while writes join it, and every
// request's reads queued behind it. In WAL mode a second connection reads the last committed state while the
// writer works, as a PostgreSQL pool connection would: reads neither wait for nor see an unfinished transaction.
import fs from 'node:fs';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import { SqliteThread, type CheckedWrite } from './sqliteThread.js';

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

/**
 * Every writing connection's settings. WAL + synchronous=NORMAL: a committed transaction survives a process crash
 * (SIGKILL); only a power loss can drop the last commits. foreign_keys enforces the cascades the schema declares.
 * Group commit wraps each write in a savepoint; the pages a savepoint would restore go to a sub-journal, which
 * temp_store makes a memory buffer rather than a temporary file.
 */
const WRITER_PRAGMAS = ['synchronous = NORMAL', 'foreign_keys = ON', 'busy_timeout = 5000', 'temp_store = MEMORY'];

/**
 * Page caches (KiB; a negative cache_size is KiB). better-sqlite3 builds SQLite with a 16 MiB default per
 * connection, and a connection that writes fills its cache to the limit (every new audit-log page stays in it), so
 * the limit is resident memory. The pages writes use again (indexes, the experiment, the flags) are few; the rest
 * come back from the OS's file cache. Writes measured no slower with these limits; the reader keeps the default.
 */
const WRITER_CACHE_KIB = 4096;
const THREAD_CACHE_KIB = 1024;

/** The connections to one database and the lock that makes their writes one at a time. */
export interface SqliteHandles {
  writer: SqliteDatabase.Database;
  /** Reads outside transactions; none for an in-memory database, which is one connection's own. */
  reader: SqliteDatabase.Database | undefined;
  /** Held by a transaction, a write outside one, and a write on the thread. */
  writerLock: Mutex;
  /** Runs checked writes off the event loop; none for an in-memory database. */
  thread: SqliteThread | undefined;
  /** Syncs the WAL while writes come in; none for an in-memory database. */
  walSync: WalSync | undefined;
}

/** Opens the database at file (or in memory) with iterlab's settings: the writer, and for a file a reader and a thread. */
export function openSqlite(file: string): SqliteHandles {
  const writer = new SqliteDatabase(file);
  if (file !== ':memory:') writer.pragma('journal_mode = WAL');
  for (const pragma of WRITER_PRAGMAS) writer.pragma(pragma);
  cacheStatements(writer);
  // An in-memory database is one connection's own: there the writer reads too, waiting for open transactions.
  if (file === ':memory:') return { writer, reader: undefined, writerLock: new Mutex(), thread: undefined, walSync: undefined };
  writer.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  const reader = new SqliteDatabase(file, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  cacheStatements(reader);
  return {
    writer,
    reader,
    writerLock: new Mutex(),
    thread: new SqliteThread(file, [...WRITER_PRAGMAS, `cache_size = -${THREAD_CACHE_KIB}`], STATEMENT_CACHE_SIZE),
    walSync: new WalSync(`${file}-wal`),
  };
}

/** Runs write on the handles' thread under the write lock; undefined when they have no thread (in memory). */
export async function writeOnThread(handles: SqliteHandles, write: CheckedWrite): Promise<boolean | undefined> {
  const thread = handles.thread;
  if (!thread) return undefined;
  const written = await handles.writerLock.hold(() => thread.run(write));
  handles.walSync?.written();
  return written;
}

/**
 * Syncs the WAL file to disk in the background (on libuv's thread pool), every 25 ms while writes come in. With
 * synchronous = NORMAL SQLite syncs the WAL only when it checkpoints, every 1,000 pages, and that sync then flushed
 * ~4 MB at once: under sustained create iteration calls the checkpointing write took 16-30 ms on the writer
 * thread (the slowest 1% of its writes, and the p99 of the calls that waited on it). Synced as it grows, the
 * checkpoint's own sync finds little left to flush. Durability is unchanged (or better): the WAL reaches the disk
 * sooner, and SQLite still syncs where it always did.
 */
export class WalSync {
  private fd: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** A write was committed since the last sync began. */
  private pending = false;
  private syncing: Promise<void> | undefined;
  private closed = false;
  /** Syncs finished (for tests). */
  syncs = 0;

  constructor(
    private readonly walFile: string,
    private readonly everyMs = 25,
  ) {}

  /** A write was committed: the WAL has pages to sync. */
  written(): void {
    this.pending = true;
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await this.syncing;
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private tick(): void {
    if (this.syncing) return;
    // No write since the last sync: the timer stops until the next one.
    if (!this.pending) return this.stop();
    this.pending = false;
    try {
      this.fd ??= fs.openSync(this.walFile, 'r');
    } catch {
      return;
    }
    const fd = this.fd;
    this.syncing = new Promise<void>((resolve) =>
      // An error here is SQLite's to meet and report at its own sync; this one only ever runs ahead of it.
      fs.fdatasync(fd, () => {
        this.syncs += 1;
        this.syncing = undefined;
        resolve();
      }),
    );
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** One holder at a time, in the order they asked. */
export class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async lock(): Promise<void> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((resolve) => (release = resolve));
    await before;
    this.unlock = () => {
      this.unlock = () => {};
      release();
    };
  }

  unlock: () => void = () => {};

  /** Runs fn holding the lock. */
  async hold<T>(fn: () => T | Promise<T>): Promise<T> {
    await this.lock();
    try {
      return await fn();
    } finally {
      this.unlock();
    }
  }
}

function run(db: SqliteDatabase.Database, { sql, parameters }: CompiledQuery): QueryResult<unknown> {
  const statement = db.prepare(sql);
  if (statement.reader) return { rows: statement.all(parameters) };
  const { changes, lastInsertRowid } = statement.run(parameters);
  return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
}

class Connection implements DatabaseConnection {
  /** Set between begin and commit/rollback: every statement then goes to the writer, which this connection holds. */
  inTransaction = false;

  constructor(private readonly driver: PairDriver) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const { writer, reader, writerLock } = this.driver.handles;
    if (this.inTransaction) return run(writer, query) as QueryResult<R>;
    // A statement that only reads goes to the reader, at once. better-sqlite3 tells from SQLite whether it writes.
    if (reader && reader.prepare(query.sql).readonly) return run(reader, query) as QueryResult<R>;
    // A write outside a transaction (migrations, test fixtures), or the one connection of an in-memory database.
    return writerLock.hold(() => {
      const result = run(writer, query) as QueryResult<R>;
      this.driver.handles.walSync?.written();
      return result;
    });
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('iterlab does not stream SQLite queries');
  }
}

class PairDriver implements Driver {
  constructor(readonly handles: SqliteHandles) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new Connection(this);
  }

  /**
   * SQLite's plain BEGIN takes the write lock only at the first write; a writer that then meets another
   * connection's lock (an `iterlab export` beside the server, a second process) fails at once with SQLITE_BUSY
   * instead of waiting out busy_timeout. BEGIN IMMEDIATE takes the lock up front, so it waits.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.handles.writerLock.lock();
    try {
      this.handles.writer.prepare('begin immediate').run();
    } catch (err) {
      this.handles.writerLock.unlock();
      throw err;
    }
    (connection as Connection).inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    // A failed commit leaves the transaction to rollbackTransaction, which Kysely calls next.
    this.handles.writer.prepare('commit').run();
    this.handles.walSync?.written();
    this.end(connection as Connection);
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      // SQLite may have rolled back by itself (a full disk, an I/O error): then there is nothing to roll back.
      if (this.handles.writer.inTransaction) this.handles.writer.prepare('rollback').run();
    } finally {
      this.end(connection as Connection);
    }
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if ((connection as Connection).inTransaction) await this.rollbackTransaction(connection);
  }

  async destroy(): Promise<void> {
    await this.handles.thread?.close();
    await this.handles.walSync?.close();
    this.handles.reader?.close();
    this.handles.writer.close();
  }

  private end(connection: Connection): void {
    connection.inTransaction = false;
    this.handles.writerLock.unlock();
  }
}

/** Kysely's SQLite dialect over a writer and an optional reader (see the top of this file). */
export class SqlitePairDialect implements Dialect {
  constructor(private readonly handles: SqliteHandles) {}

  createDriver(): Driver {
    return new PairDriver(this.handles);
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }

  createAdapter() {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new SqliteIntrospector(db);
  }
}
