// SQLite WAL checkpoints off the event loop. better-sqlite3 is synchronous, and by default the commit that
// passes 1,000 WAL pages runs the checkpoint itself: copying those pages into the database file and syncing it
// stalls every request for milliseconds (the create-iteration p99). A worker thread with its own connection
// runs passive checkpoints instead, which never block the writer; the writer's own automatic checkpoint stays
// as a backstop at a larger size, for when the worker falls behind or is gone.
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** WAL pages after which the writer checkpoints by itself after all (SQLite's default is 1,000). */
export const BACKSTOP_PAGES = 10_000;

/** How soon after a commit the worker is asked to checkpoint; commits in between share the request. */
const DELAY_MS = 100;

// CommonJS, as eval'd workers are. A failed checkpoint is left to the next request, or to the backstop.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
// It reads WAL frames and writes them out once: no page cache to speak of is needed.
db.pragma('cache_size = -64');
parentPort.on('message', (message) => {
  if (message === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    parentPort.postMessage(db.pragma('wal_checkpoint(PASSIVE)')[0]);
  } catch {}
});
`;

export class Checkpointer {
  private worker: Worker | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Checkpoints requested from the worker. */
  requested = 0;
  /** What the worker's last checkpoint reported: WAL frames in all, and how many are now in the database file. */
  last: { busy: number; log: number; checkpointed: number } | undefined;

  /** onGone runs if the worker dies: the writer should then checkpoint by itself at SQLite's usual size. */
  constructor(file: string, onGone: () => void) {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver: createRequire(import.meta.url).resolve('better-sqlite3') },
      // It holds a connection and nothing else: a small heap keeps the process's memory where it was.
      resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 1 },
    });
    worker.unref();
    worker.on('error', () => {});
    worker.on('message', (result: Checkpointer['last']) => (this.last = result));
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      try {
        onGone();
      } catch {
        // the store is closing: nothing is left to checkpoint
      }
    });
    this.worker = worker;
  }

  /** Called after each commit. */
  committed(): void {
    if (this.timer || !this.worker) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.requested += 1;
      this.worker?.postMessage('checkpoint');
    }, DELAY_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    const worker = this.worker;
    this.worker = undefined;
    if (!worker) return;
    const exited = once(worker, 'exit');
    worker.postMessage('close');
    await exited;
  }
}
