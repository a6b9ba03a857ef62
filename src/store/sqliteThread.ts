// SQLite's writer thread: a third connection, in a worker thread, that runs writes made only of checks and
// statements (a CheckedWrite) off the event loop, so that their SQLite work and commit leave the main thread free
// for HTTP and validation. The main thread still holds the write lock while one runs (SQLite has one writer).
// The same thread, started a second time on a connection of its own, checkpoints the WAL (sqlite.ts, WalCheckpoints).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * A write the store may run anywhere: statements whose rows must be exactly the given rows (else nothing is
 * written and it answers false), then statements that write. One transaction.
 */
export interface CheckedWrite {
  checks: { sql: string; params: unknown[]; rows: Record<string, unknown>[] }[];
  writes: { sql: string; params: unknown[] }[];
}

// Plain JavaScript, evaluated as the worker: it needs no TypeScript loader to start (tests and `npm run dev`
// run from the sources), and so starts in milliseconds. It is given the driver's path; each connection it serves
// comes with an open message (its file and pragmas) and ends with a close message, after which the thread may
// serve another connection (see IDLE below).
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let db;
let statements;
let cacheSize = 0;
function open(connection) {
  db = new Database(connection.file);
  for (const pragma of connection.pragmas) db.pragma(pragma);
  statements = new Map();
  cacheSize = connection.cacheSize;
}
function prepare(sql) {
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (statements.size >= cacheSize) statements.delete(statements.keys().next().value);
    statements.set(sql, statement);
  }
  return statement;
}
function same(rows, expected) {
  if (rows.length !== expected.length) return false;
  return rows.every((row, i) => {
    const keys = Object.keys(expected[i]);
    return keys.length === Object.keys(row).length && keys.every((key) => row[key] === expected[i][key]);
  });
}
function run({ checks, writes }) {
  prepare('begin immediate').run();
  try {
    for (const check of checks) {
      if (!same(prepare(check.sql).all(check.params), check.rows)) {
        prepare('rollback').run();
        return false;
      }
    }
    for (const write of writes) prepare(write.sql).run(write.params);
    prepare('commit').run();
    return true;
  } catch (error) {
    if (db.inTransaction) prepare('rollback').run();
    throw error;
  }
}
function checkpoint() {
  const [{ busy, log, checkpointed }] = db.pragma('wal_checkpoint(PASSIVE)');
  return { busy, log, checkpointed };
}
function close() {
  const closing = db;
  db = undefined;
  statements = undefined;
  closing.close();
  return true;
}
parentPort.on('message', (message) => {
  // A file that cannot be opened throws out of here: the thread dies, and the main thread's pending calls with it.
  if (message.open) return open(message.open);
  try {
    const result = message.write ? run(message.write) : message.close ? close() : checkpoint();
    parentPort.postMessage({ id: message.id, result });
  } catch (error) {
    parentPort.postMessage({ id: message.id, error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

/**
 * What a PASSIVE checkpoint did (SQLite's wal_checkpoint): the WAL's frames, and how many of them are now in the
 * database file; busy when a reader or writer kept it from copying them all.
 */
export interface Checkpoint {
  busy: number;
  log: number;
  checkpointed: number;
}

interface Pending {
  resolve: (result: never) => void;
  reject: (error: unknown) => void;
}

/**
 * Threads whose connection has closed, kept (unreferenced) for the next SqliteThread of this process to open its
 * own: starting a thread costs ~50 ms of a core, and a test run opens a store, with its two threads, for each of
 * hundreds of servers. A server opens one store and closes it as it exits, so there this keeps nothing for long.
 */
const IDLE = new Map<Worker, () => void>();
const MAX_IDLE = 4;

function idle(worker: Worker): void {
  if (IDLE.size >= MAX_IDLE) {
    void worker.terminate();
    return;
  }
  const gone = () => {
    IDLE.delete(worker);
    worker.off('exit', gone).off('error', gone);
  };
  worker.on('exit', gone).on('error', gone);
  IDLE.set(worker, gone);
}

/** How many closed threads wait for another connection (for tests). */
export function idleThreads(): number {
  return IDLE.size;
}

function takeIdle(): Worker | undefined {
  const [first] = IDLE;
  if (!first) return undefined;
  const [worker, gone] = first;
  gone();
  return worker;
}

function newWorker(): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // execArgv: none of the process's node flags: the thread needs no TypeScript loader (tsx's, in tests and
  // `npm run dev`), and under --cpu-prof a profiled worker kept the main thread's profile from being written.
  return new Worker(THREAD, { eval: true, execArgv: [], workerData: { driver }, resourceLimits: { maxYoungGenerationSizeMb: 1 } });
}

type Message = { write: CheckedWrite } | { checkpoint: true } | { close: true };

/** The writer thread of one database file; started on first use, started again if it ever dies. */
export class SqliteThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private sequence = 0;
  /** Takes this object's listeners off its worker. */
  private detach = () => {};

  constructor(
    private readonly file: string,
    private readonly pragmas: readonly string[],
    private readonly cacheSize: number,
  ) {}

  /** Runs write in the thread; the caller holds the write lock. */
  run(write: CheckedWrite): Promise<boolean> {
    return this.send<boolean>({ write });
  }

  /** Checkpoints the WAL as far as readers and writers let it, without waiting for them (PASSIVE). */
  checkpoint(): Promise<Checkpoint> {
    return this.send<Checkpoint>({ checkpoint: true });
  }

  private send<T>(message: Message): Promise<T> {
    const worker = this.worker ?? this.start();
    const id = ++this.sequence;
    // Referenced while a message is on its way, so that the process waits for it.
    if (this.pending.size === 0) worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: never) => void, reject });
      worker.postMessage({ id, ...message });
    });
  }

  /**
   * Closes the thread's connection, after the calls sent before. Referenced until then (send): an idle thread is
   * unreferenced, and a process with nothing else left to do (a SIGTERM'd server whose connections are closed)
   * would otherwise end before close resolved. The thread is then kept for another connection.
   */
  async close(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    const closed = await this.send<boolean>({ close: true }).catch(() => false);
    this.detach();
    if (this.worker === worker) this.worker = undefined;
    if (closed) idle(worker);
    else await worker.terminate();
  }

  private start(): Worker {
    const worker = takeIdle() ?? newWorker();
    const onMessage = (message: { id: number; result?: never; error?: { message: string; code?: string } }) => {
      const pending = this.pending.get(message.id);
      if (!pending) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.error) pending.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else pending.resolve(message.result as never);
    };
    const died = (error: unknown) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    const exited = (code: number) => died(new Error(`the SQLite writer thread exited (code ${code})`));
    worker.on('message', onMessage);
    worker.on('error', died);
    worker.on('exit', exited);
    this.detach = () => {
      worker.off('message', onMessage);
      worker.off('error', died);
      worker.off('exit', exited);
    };
    worker.postMessage({ open: { file: this.file, pragmas: this.pragmas, cacheSize: this.cacheSize } });
    // A thread with nothing to do keeps no process alive.
    worker.unref();
    this.worker = worker;
    return worker;
  }
}
