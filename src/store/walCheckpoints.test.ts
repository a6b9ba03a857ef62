// WalCheckpoints: SQLite's WAL checkpointed on a thread of its own while writes come in, and started over under
// sustained writes by a second checkpoint that holds the write lock.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { freshDatabase, testDb } from '../../test/support/db.js';
import { Store } from './db.js';
import { Mutex, WalCheckpoints, type SqliteHandles } from './sqlite.js';
import type { Checkpoint } from './sqliteThread.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits (up to 5 s) until check holds. */
async function until(check: () => boolean): Promise<void> {
  for (let waited = 0; !check() && waited < 5000; waited += 5) await sleep(5);
}

/**
 * Waits until no round has finished for 50 ms. One fixed 50 ms sleep can be too short on a busy machine: after a stall
 * the interval's late tick fires beside the sleep's end, and its round is counted after the count was read.
 */
async function settled(checkpoints: WalCheckpoints): Promise<void> {
  let seen: number;
  do {
    seen = checkpoints.rounds;
    await sleep(50);
  } while (checkpoints.rounds !== seen);
}

/** A checkpoint thread that answers the given WAL size, noting at each checkpoint whether the write lock was held. */
function fakeThread(lock: Mutex, log: () => number) {
  const calls: { lockHeld: boolean }[] = [];
  let closed = false;
  const thread = {
    async close() {
      closed = true;
    },
    async checkpoint(): Promise<Checkpoint> {
      // The lock is free when a new holder gets it at once.
      let free = false;
      void lock.hold(() => (free = true));
      await Promise.resolve();
      await Promise.resolve();
      calls.push({ lockHeld: !free });
      await sleep(2);
      return { busy: 0, log: log(), checkpointed: log() };
    },
  };
  return { thread, calls, isClosed: () => closed };
}

describe('WalCheckpoints', () => {
  it('checkpoints beside the writes while they come in, stops once they stop, and close waits for a round', async () => {
    const lock = new Mutex();
    const fake = fakeThread(lock, () => 10);
    const checkpoints = new WalCheckpoints(fake.thread, lock, 5, 1000);
    for (let i = 0; i < 10; i++) {
      checkpoints.written();
      await sleep(5);
    }
    await until(() => checkpoints.rounds > 0);
    await settled(checkpoints);
    const afterWrites = checkpoints.rounds;
    expect(afterWrites).toBeGreaterThan(0);
    // A small WAL: every checkpoint ran beside the writes, none took the lock.
    expect(checkpoints.locked).toBe(0);
    expect(fake.calls.every((call) => !call.lockHeld)).toBe(true);
    await sleep(50);
    expect(checkpoints.rounds).toBe(afterWrites);
    checkpoints.written();
    await until(() => checkpoints.rounds > afterWrites);
    await sleep(50);
    expect(checkpoints.rounds).toBe(afterWrites + 1);
    // Closed during a round: close waits for it, and no later write starts another.
    checkpoints.written();
    await until(() => fake.calls.length > afterWrites + 1);
    await checkpoints.close();
    expect(checkpoints.rounds).toBe(afterWrites + 2);
    expect(fake.isClosed()).toBe(true);
    checkpoints.written();
    await sleep(50);
    expect(checkpoints.rounds).toBe(afterWrites + 2);
  });

  it('once the WAL holds restartPages, checkpoints a second time holding the write lock, after its holder', async () => {
    const lock = new Mutex();
    const fake = fakeThread(lock, () => 1500);
    const checkpoints = new WalCheckpoints(fake.thread, lock, 5, 1000);
    checkpoints.written();
    await until(() => checkpoints.rounds === 1);
    expect(fake.calls).toEqual([{ lockHeld: false }, { lockHeld: true }]);
    expect(checkpoints.locked).toBe(1);
    // A transaction holds the lock: the round's first checkpoint runs beside it, its second waits for it.
    await lock.lock();
    checkpoints.written();
    await until(() => fake.calls.length === 3);
    await sleep(30);
    expect(fake.calls.length).toBe(3);
    expect(checkpoints.rounds).toBe(1);
    lock.unlock();
    await until(() => checkpoints.rounds === 2);
    expect(fake.calls.length).toBe(4);
    expect(checkpoints.locked).toBe(2);
    await checkpoints.close();
  });

  it('a failed checkpoint ends its round and the next write starts another', async () => {
    const lock = new Mutex();
    let fail = true;
    let calls = 0;
    const thread = {
      async checkpoint(): Promise<Checkpoint> {
        calls += 1;
        if (fail) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
        return { busy: 0, log: 0, checkpointed: 0 };
      },
      async close() {},
    };
    const checkpoints = new WalCheckpoints(thread, lock, 5, 1000);
    checkpoints.written();
    await until(() => checkpoints.rounds === 1);
    fail = false;
    checkpoints.written();
    await until(() => checkpoints.rounds === 2);
    expect(calls).toBe(2);
    await checkpoints.close();
  });
});

describe.skipIf(testDb !== 'sqlite')('WalCheckpoints in a SQLite store', () => {
  it('no connection that writes checkpoints by itself; the thread checkpoints and starts the WAL over under sustained writes; nothing is lost', async () => {
    const database = await freshDatabase('sqlite');
    const file = database.url.slice('sqlite:'.length);
    let store = Store.open(database.url);
    try {
      await store.migrate();
      const handles = (store as unknown as { sqlite: SqliteHandles }).sqlite;
      expect(handles.writer.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const checkpoints = handles.checkpoints!;
      // ~40 KB a write, 1,000 pages every ~100 writes: writes without a pause, on the writer thread and as transactions.
      const doc = JSON.stringify({ filler: 'x'.repeat(40_000) });
      const insert = (id: string) => ({ sql: 'insert into "members" ("id", "email", "doc", "created_at") values (?, ?, ?, ?)', params: [id, `${id}@example.com`, doc, 1] });
      let written = 0;
      const writeSome = async (n: number) => {
        for (let i = 0; i < n; i++, written++) {
          const id = `m${written}`;
          if (i % 2 === 0) expect(await store.writeOffThread({ checks: [], writes: [insert(id)] })).toBe(true);
          else await store.tx((trx) => trx.insertInto('members').values({ id, email: `${id}@example.com`, doc, created_at: 1 }).execute());
        }
      };
      await writeSome(300);
      await until(() => checkpoints.locked > 0);
      expect(checkpoints.locked).toBeGreaterThan(0);
      const walAfterFirst = fs.statSync(`${file}-wal`).size;
      // The WAL started over: as many writes again reuse its file instead of growing it by as much again.
      await writeSome(300);
      const walAfterSecond = fs.statSync(`${file}-wal`).size;
      expect(walAfterSecond).toBeLessThan(walAfterFirst + 300 * 40_000);
      await store.close();
      store = Store.open(database.url);
      const rows = await store.db.selectFrom('members').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(rows.n)).toBe(600);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
