// WalSync: SQLite's WAL synced in the background while writes come in, and only then.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, testDb } from '../../test/support/db.js';
import { Store } from './db.js';
import { WalSync } from './sqlite.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-walsync-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits (up to 5 s) until check holds. */
async function until(check: () => boolean): Promise<void> {
  for (let waited = 0; !check() && waited < 5000; waited += 5) await sleep(5);
}

describe('WalSync', () => {
  it('syncs while writes come in, stops once they stop, and close waits for a sync under way', async () => {
    const wal = path.join(dir, 'a.db-wal');
    fs.writeFileSync(wal, 'pages');
    const sync = new WalSync(wal, 5);
    for (let i = 0; i < 10; i++) {
      sync.written();
      await sleep(5);
    }
    await until(() => sync.syncs > 0);
    await sleep(50);
    const afterWrites = sync.syncs;
    expect(afterWrites).toBeGreaterThan(0);
    await sleep(50);
    // No write since: no sync either (the timer has stopped).
    expect(sync.syncs).toBe(afterWrites);
    sync.written();
    await until(() => sync.syncs > afterWrites);
    await sleep(50);
    expect(sync.syncs).toBe(afterWrites + 1);
    // Closed: a write still noted is left to SQLite's own sync, and no later one starts the timer again.
    sync.written();
    await sync.close();
    sync.written();
    await sleep(50);
    expect(sync.syncs).toBe(afterWrites + 1);
  });

  it('does nothing, and throws nothing, while the WAL file does not exist yet', async () => {
    const sync = new WalSync(path.join(dir, 'missing.db-wal'), 5);
    sync.written();
    await sleep(30);
    expect(sync.syncs).toBe(0);
    await sync.close();
  });
});

describe.skipIf(testDb !== 'sqlite')('WalSync in a SQLite store', () => {
  it('syncs after transactions and writer-thread writes; the store closes with it', async () => {
    const database = await freshDatabase('sqlite');
    const store = Store.open(database.url);
    try {
      await store.migrate();
      const sync = (store as unknown as { sqlite: { walSync: WalSync } }).sqlite.walSync;
      const before = sync.syncs;
      await store.tx((trx) => trx.insertInto('members').values({ id: 'w1', email: 'w1@example.com', doc: '{}', created_at: 1 }).execute());
      await until(() => sync.syncs > before);
      const afterTx = sync.syncs;
      expect(afterTx).toBeGreaterThan(before);
      const insert = { sql: 'insert into "members" ("id", "email", "doc", "created_at") values (?, ?, ?, ?)', params: ['w2', 'w2@example.com', '{}', 1] };
      expect(await store.writeOffThread({ checks: [], writes: [insert] })).toBe(true);
      await until(() => sync.syncs > afterTx);
      expect(sync.syncs).toBeGreaterThan(afterTx);
    } finally {
      await store.close();
      await database.drop();
    }
  });
});
