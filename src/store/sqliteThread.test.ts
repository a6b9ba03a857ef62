// Store.writeOffThread: SQLite's writer thread runs checked writes, all or nothing, one at a time with the rest.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, testDb, type FreshDatabase } from '../../test/support/db.js';
import { isUniqueViolation, Store } from './db.js';
import { idleThreads, type CheckedWrite } from './sqliteThread.js';

describe.skipIf(testDb !== 'sqlite')('Store.writeOffThread (SQLite writer thread)', () => {
  let database: FreshDatabase;
  let store: Store;
  beforeAll(async () => {
    database = await freshDatabase('sqlite');
    store = Store.open(database.url);
    await store.migrate();
    await store.tx((trx) => trx.insertInto('members').values({ id: 'm0', email: 'm0@example.com', doc: '{"v":0}', created_at: 1 }).execute());
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const insert = (id: string) => ({ sql: 'insert into "members" ("id", "email", "doc", "created_at") values (?, ?, ?, ?)', params: [id, `${id}@example.com`, '{}', 1] });
  const m0As = (doc: string) => ({ sql: 'select "id", "doc" from "members" where "id" = ?', params: ['m0'], rows: [{ id: 'm0', doc }] });
  const ids = async () => (await store.db.selectFrom('members').select('id').orderBy('id').execute()).map((r) => r.id);

  it('writes when every check finds exactly its rows, and the main thread reads it at once', async () => {
    expect(store.writesOffThread).toBe(true);
    const write: CheckedWrite = { checks: [m0As('{"v":0}')], writes: [insert('a1'), insert('a2')] };
    expect(await store.writeOffThread(write)).toBe(true);
    expect(await ids()).toEqual(['a1', 'a2', 'm0']);
  });

  it('writes nothing when a check finds other rows (a changed value, a missing or an extra row)', async () => {
    expect(await store.writeOffThread({ checks: [m0As('{"v":1}')], writes: [insert('b1')] })).toBe(false);
    expect(await store.writeOffThread({ checks: [{ ...m0As('{"v":0}'), params: ['nobody'] }], writes: [insert('b2')] })).toBe(false);
    expect(await store.writeOffThread({ checks: [{ ...m0As('{"v":0}'), rows: [] }], writes: [insert('b3')] })).toBe(false);
    expect(await ids()).toEqual(['a1', 'a2', 'm0']);
  });

  it('a statement that fails rolls the whole write back and rejects with SQLite’s code', async () => {
    const error = await store.writeOffThread({ checks: [], writes: [insert('c1'), insert('a1')] }).catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect(await ids()).toEqual(['a1', 'a2', 'm0']);
  });

  it('waits for an open transaction of the main thread, and that transaction for it (one writer at a time)', async () => {
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const order: string[] = [];
    const open = store.tx(async (trx) => {
      await trx.insertInto('members').values({ id: 'd1', email: 'd1@example.com', doc: '{}', created_at: 1 }).execute();
      entered();
      await gate;
      order.push('transaction');
    });
    await inside;
    const offThread = store.writeOffThread({ checks: [], writes: [insert('d2')] }).then(() => order.push('thread'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(order).toEqual([]);
    release();
    await Promise.all([open, offThread]);
    expect(order).toEqual(['transaction', 'thread']);
    expect(await ids()).toContain('d2');
  });

  it('closing waits for the thread in a process with nothing else to do (a SIGTERM\'d server)', async () => {
    // In a process of its own: a test runner's event loop always has something referenced, which hid this.
    // Awaited at the top level, a close that left the loop empty ends the process with 13 (unsettled await).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-thread-close-'));
    const script = path.join(dir, 'close.mts');
    fs.writeFileSync(
      script,
      [
        `import { Store } from ${JSON.stringify(path.resolve(import.meta.dirname, 'db.ts'))};`,
        `const store = Store.open(${JSON.stringify(`sqlite:${path.join(dir, 'a.db')}`)});`,
        'await store.migrate();',
        `await store.writeOffThread({ checks: [], writes: [${JSON.stringify(insert('z1'))}] });`,
        'await store.close();',
        "console.log('closed');",
      ].join('\n'),
    );
    try {
      const result = await new Promise<{ code: number; out: string }>((resolve) =>
        execFile(process.execPath, ['--import', 'tsx', script], { timeout: 60_000 }, (err, stdout, stderr) =>
          resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
        ),
      );
      expect(result.out).toContain('closed');
      expect(result.code).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it('a closed store\'s threads serve the next store opened in the process, each write on its own file', async () => {
    const members = async (s: Store) => (await s.db.selectFrom('members').select('id').orderBy('id').execute()).map((r) => r.id);
    const open = async () => {
      const db = await freshDatabase('sqlite');
      const s = Store.open(db.url);
      await s.migrate();
      return { db, s };
    };
    const first = await open();
    await first.s.writeOffThread({ checks: [], writes: [insert('first')] });
    await first.s.close();
    // The writer thread, and the checkpoint thread if its round had begun.
    const kept = idleThreads();
    expect(kept).toBeGreaterThanOrEqual(1);
    const second = await open();
    try {
      expect(await second.s.writeOffThread({ checks: [], writes: [insert('second')] })).toBe(true);
      // The writer took one (and the checkpoint thread may have taken the other, 25 ms after a write).
      expect(idleThreads()).toBeLessThan(kept);
      expect(await members(second.s)).toEqual(['second']);
      const reopened = Store.open(first.db.url);
      expect(await members(reopened)).toEqual(['first']);
      await reopened.close();
      // A refused check and a failing statement still answer as on a thread of its own.
      expect(await second.s.writeOffThread({ checks: [{ ...m0As('{"v":0}') }], writes: [insert('never')] })).toBe(false);
      expect(isUniqueViolation(await second.s.writeOffThread({ checks: [], writes: [insert('second')] }).catch((e: unknown) => e))).toBe(true);
    } finally {
      await second.s.close();
      await first.db.drop();
      await second.db.drop();
    }
  });

  it('an in-memory database has no writer thread', async () => {
    const memory = Store.open('sqlite::memory:');
    try {
      expect(memory.writesOffThread).toBe(false);
      expect(await memory.writeOffThread({ checks: [], writes: [] })).toBeUndefined();
    } finally {
      await memory.close();
    }
  });
});
