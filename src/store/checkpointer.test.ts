// The WAL of a SQLite file is checkpointed by a worker thread, not by the commit that happens to pass 1,000 pages.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sql } from 'kysely';
import { Store } from './db.js';
import { BACKSTOP_PAGES } from './checkpointer.js';
import { testDb } from '../../test/support/db.js';

describe.skipIf(testDb !== 'sqlite')('SQLite WAL checkpoints in a worker', () => {
  let dir: string;
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-checkpoint-'));
    store = Store.open(`sqlite:${path.join(dir, 'iterlab.db')}`);
    await store.migrate();
    return store;
  }
  const autocheckpoint = async (s: Store) => (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(s.db)).rows[0].wal_autocheckpoint;
  const writeMembers = (s: Store, prefix: string, count: number) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        s.tx((trx) => trx.insertInto('members').values({ id: `${prefix}${i}`, email: `${prefix}${i}@example.com`, doc: 'x'.repeat(4000), created_at: 1 }).execute()),
      ),
    );

  it('writes leave the checkpoint to the worker, which moves every WAL frame into the database; the WAL is then reused, not grown', async () => {
    const s = await open();
    expect(await autocheckpoint(s)).toBe(BACKSTOP_PAGES);
    await writeMembers(s, 'a', 400);
    await vi.waitFor(() => expect(s.checkpointer!.last?.checkpointed).toBeGreaterThan(0), { timeout: 5000 });
    await vi.waitFor(() => expect(s.checkpointer!.last!.checkpointed).toBe(s.checkpointer!.last!.log), { timeout: 5000 });
    const walBytes = fs.statSync(path.join(dir, 'iterlab.db-wal')).size;
    // fewer pages than the first round wrote: they go at the start of the checkpointed WAL
    await writeMembers(s, 'b', 100);
    expect(fs.statSync(path.join(dir, 'iterlab.db-wal')).size).toBe(walBytes);
    expect(await s.db.selectFrom('members').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).toEqual({ n: 500 });
  });

  it('if the worker is gone, the writer checkpoints by itself again at SQLite’s usual size', async () => {
    const s = await open();
    await (s.checkpointer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    await vi.waitFor(async () => expect(await autocheckpoint(s)).toBe(1000));
    await writeMembers(s, 'c', 10);
    expect(s.checkpointer!.requested).toBe(0);
  });

  it('an in-memory store has no WAL and no worker', () => {
    const s = Store.open('sqlite::memory:');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-checkpoint-'));
    expect(s.checkpointer).toBeUndefined();
    store = s;
  });
});
