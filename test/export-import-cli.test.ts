// The `iterlab export [file]` and `iterlab import <file>` commands, run as the real CLI on both databases.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../src/store/db.js';
import { readAllTables, type ExportDocument } from '../src/store/exportImport.js';
import { populate } from './support/populate.js';
import { iterlabArgs } from './support/built.js';
import { freshDatabase, testDb } from './support/db.js';
import { startServer } from './support/server.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe(`iterlab export / import commands (${testDb})`, () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iterlab-export-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (args: string[], databaseUrl: string) =>
    spawnSync(process.execPath, iterlabArgs(...args), { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });

  /** A populated store the commands can open by URL (a file for SQLite, a database for PostgreSQL). */
  async function populatedUrl(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
    const database = testDb === 'sqlite' ? { url: `sqlite:${path.join(dir, `${name}.db`)}`, drop: async () => {} } : await freshDatabase('postgres');
    const s = await startServer({ store: Store.open(database.url) });
    await populate(s);
    await s.close();
    return database;
  }

  async function tablesAt(url: string) {
    const store = Store.open(url);
    try {
      return await readAllTables(store);
    } finally {
      await store.close();
    }
  }

  it('export to a file, import into an empty store, refuse a second import, export to stdout', async () => {
    const source = await populatedUrl('source');
    const target = testDb === 'sqlite' ? { url: `sqlite:${path.join(dir, 'target.db')}`, drop: async () => {} } : await freshDatabase('postgres');
    try {
      const file = path.join(dir, 'export.json');
      const exported = run(['export', file], source.url);
      expect(exported.status, exported.stderr).toBe(0);
      expect(exported.stdout).toBe('');
      expect(exported.stderr).toMatch(/^iterlab: exported \d+ rows from \d+ tables \(schema [\w, ]+\) to /);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.partial'))).toEqual([]);

      const imported = run(['import', file], target.url);
      expect(imported.status, imported.stderr).toBe(0);
      expect(imported.stdout).toMatch(/^iterlab: imported \d+ rows into \d+ tables from /);
      expect(await tablesAt(target.url)).toEqual(await tablesAt(source.url));

      const again = run(['import', file], target.url);
      expect(again.status).toBe(1);
      expect(again.stderr).toMatch(/^iterlab: import refused: the store is not empty \(table "\w+" has \d+ rows\); import only into an empty store/);

      const toStdout = run(['export'], target.url);
      expect(toStdout.status, toStdout.stderr).toBe(0);
      expect((JSON.parse(toStdout.stdout) as ExportDocument).tables).toEqual(JSON.parse(fs.readFileSync(file, 'utf8')).tables);
    } finally {
      await source.drop();
      await target.drop();
    }
  }, 180_000);

  it.skipIf(testDb !== 'sqlite')('export refuses a SQLite path where there is no database, creating nothing', () => {
    const missing = path.join(dir, 'missing', 'nothing.db');
    const res = run(['export'], `sqlite:${missing}`);
    expect(res.status).toBe(1);
    expect(res.stderr).toBe(`iterlab: there is no SQLite database at ${missing}\n`);
    expect(fs.existsSync(path.dirname(missing))).toBe(false);
  });
});

