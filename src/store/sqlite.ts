// SQLite through better-sqlite3: a writer connection for transactions and, for a database file, a second
// read-only connection that reads outside them, and a writer thread for checked writes (sqliteThread.ts).
//
// Kysely's own SQLite driver has one connection behind a mutex, so a read waited for any open transaction; with
// group commit (Store.tx) a transaction stays open across turns of the event loop while writes join it, and every
// request's reads queued behind it. In WAL mode a second connection reads the last committed state while the
// writer works, as a PostgreSQL pool connection would: reads neither wait for nor see an unfinished transaction.
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
 * temp_store makes a memory buffer rather than a temporary file. No connection checkpoints as it commits:
 * WalCheckpoints does, on a thread of its own.
 */
const WRITER_PRAGMAS = ['synchronous = NORMAL', 'foreign_keys = ON', 'busy_timeout = 5000', 'temp_store = MEMORY', 'wal_autocheckpoint = 0'];

/** The checkpoint thread's connection: it copies the WAL's frames into the database file, and needs no page cache. */
const CHECKPOINT_PRAGMAS = ['synchronous = NORMAL', 'busy_timeout = 5000', 'wal_autocheckpoint = 0', 'cache_size = -64'];

/**
 * Page caches (KiB; a negative cache_size is KiB). better-sqlite3 builds SQLite with a 16 MiB default per
 * connection, and a connection that writes fills its cache to the limit (every new audit-log page stays in it), so
 * the limit is resident memory. The pages writes use again (indexes, the experiment, the flags) are few; the rest
 * come back from the OS's file cache. Writes measured no slower with these limits (the writer's was 4 MiB until the
 * checkpoint thread's memory had to be paid for: bench/README.md, 38); the reader keeps the default.
 */
const WRITER_CACHE_KIB = 1024;
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
  /** Checkpoints the WAL while writes come in; none for an in-memory database. */
  checkpoints: WalCheckpoints | undefined;
}

/** Opens the database at file (or in memory) with iterlab's settings: the writer, and for a file a reader and a thread. */
export function openSqlite(file: string): SqliteHandles {
  const writer = new SqliteDatabase(file);
  if (file !== ':memory:') writer.pragma('journal_mode = WAL');
  for (const pragma of WRITER_PRAGMAS) writer.pragma(pragma);
  cacheStatements(writer);
  // An in-memory database is one connection's own: there the writer reads too, waiting for open transactions.
  if (file === ':memory:') return { writer, reader: undefined, writerLock: new Mutex(), thread: undefined, checkpoints: undefined };
  writer.pragma(`cache_size = -${WRITER_CACHE_KIB}`);
  const reader = new SqliteDatabase(file, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  cacheStatements(reader);
  const writerLock = new Mutex();
  return {
    writer,
    reader,
    writerLock,
    thread: new SqliteThread(file, [...WRITER_PRAGMAS, `cache_size = -${THREAD_CACHE_KIB}`], STATEMENT_CACHE_SIZE),
    checkpoints: new WalCheckpoints(new SqliteThread(file, CHECKPOINT_PRAGMAS, 0), writerLock),
  };
}

/** Runs write on the handles' thread under the write lock; undefined when they have no thread (in memory). */
export async function writeOnThread(handles: SqliteHandles, write: CheckedWrite): Promise<boolean | undefined> {
  const thread = handles.thread;
  if (!thread) return undefined;
  const written = await handles.writerLock.hold(() => thread.run(write));
  handles.checkpoints?.written();
  return written;
}

/**
 * Checkpoints the WAL (copies its pages into the database file) while writes come in: every 25 ms, on a thread and
 * connection of its own, so that no write waits for the copy or its syncs. SQLite's own checkpoint
 * (wal_autocheckpoint, now off on every connection) ran inside the commit that took the WAL past 1,000 pages: under
 * sustained create iteration calls, one batch in ~70 on the writer thread, 3-10 ms each (syncing the WAL, copying
 * the pages, syncing the database file), with every call behind it waiting too (bench/README.md, 38).
 *
 * A checkpoint beside the writes copies the frames there were when it began. The WAL starts over (its file reused
 * from the top) only at a write that finds every frame copied, which sustained writes never leave to one beside
 * them (so the WAL of the third round's checkpointer, bench/README.md, never started over). Once the WAL holds
 * restartPages, a second checkpoint runs holding the write lock: it copies only what came in during the first, and
 * the next write starts the WAL over. Durability is SQLite's own: a checkpoint syncs the WAL before it copies and
 * the database file after, and the WAL's frames are not reused before that. The rounds also take the place of the
 * WAL's background sync (bench/README.md, 21): each syncs what was written since the last.
 */
export class WalCheckpoints {
  private timer: NodeJS.Timeout | undefined;
  /** A write was committed since the last round began. */
  private pending = false;
  private round: Promise<void> | undefined;
  private closed = false;
  /** Rounds finished, and how many of them took the write lock (for tests). */
  rounds = 0;
  locked = 0;

  constructor(
    private readonly thread: Pick<SqliteThread, 'checkpoint' | 'close'>,
    private readonly writerLock: Mutex,
    private readonly everyMs = 25,
    private readonly restartPages = 1000,
  ) {}

  /** A write was committed: the WAL has frames to copy. */
  written(): void {
    this.pending = true;
    if (this.timer || this.closed) return;
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref();
  }

  /** Stops the rounds, waits for one under way, and closes the thread (the writer, closed last, copies the rest). */
  async close(): Promise<void> {
    this.closed = true;
    this.stop();
    await this.round;
    await this.thread.close();
  }

  private tick(): void {
    if (this.round) return;
    // No write since the last round: the timer stops until the next one.
    if (!this.pending) return this.stop();
    this.pending = false;
    this.round = this.checkpoint()
      // A failed checkpoint copied nothing it reported; SQLite meets the cause (a full disk) at the next write and
      // reports it there, and the next round tries again.
      .catch(() => undefined)
      .finally(() => {
        this.rounds += 1;
        this.round = undefined;
      });
  }

  private async checkpoint(): Promise<void> {
    const beside = await this.thread.checkpoint();
    if (beside.log < this.restartPages || this.closed) return;
    await this.writerLock.hold(() => this.thread.checkpoint());
    this.locked += 1;
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
      this.driver.handles.checkpoints?.written();
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
    this.handles.checkpoints?.written();
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
    // The rounds end first: they checkpoint on the thread.
    await this.handles.checkpoints?.close();
    await this.handles.thread?.close();
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
