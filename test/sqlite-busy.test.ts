// SQLite transactions take their write lock up front (BEGIN IMMEDIATE), so a write that meets another process's
// lock waits out busy_timeout instead of failing at once with SQLITE_BUSY.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { Store } from '../src/store/db.js';
import { testDb } from './support/db.js';

it.skipIf(testDb !== 'sqlite')('a write waits for another process’s write lock instead of failing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-busy-'));
  const file = path.join(dir, 'store.db');
  const store = Store.open(`sqlite:${file}`);
  await store.migrate();
  // Another process holds the write lock for 400 ms.
  const holder = spawn(process.execPath, [
    '-e',
    `const D = require('better-sqlite3'); const db = new D(${JSON.stringify(file)}); db.exec('begin immediate'); console.log('locked'); setTimeout(() => { db.exec('commit'); db.close(); }, 400);`,
  ]);
  await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
  const started = Date.now();
  await store.tx(async (trx) => {
    await trx.selectFrom('projects').select('id').execute();
    await trx.insertInto('members').values({ id: 'm', email: 'waited@example.com', doc: '{}', created_at: 1 }).execute();
  });
  expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  expect(await store.db.selectFrom('members').select('email').where('id', '=', 'm').executeTakeFirst()).toEqual({ email: 'waited@example.com' });
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});
