// Start-up against the schema: instances starting together migrate once; a newer schema stops an older binary.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { addKeys } from '../src/resources/usage/record.js';
import { keyFacts } from '../src/resources/usage/series.js';
import { DAY_MS, HOUR_MS } from '../src/resources/usage/tally.js';
import { MIGRATIONS, SchemaTooNewError, Store } from '../src/store/db.js';
import { freshDatabase, testDb, type FreshDatabase } from './support/db.js';
import { iterlabArgs } from './support/built.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('migrations at start-up', () => {
  let database: FreshDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it.skipIf(testDb !== 'postgres')('three instances started at once on a fresh database all come up; the schema is migrated once, the first admin token made once', async () => {
    database = await freshDatabase('postgres');
    const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    const built = await Promise.all([0, 1, 2].map(() => buildApp(config, { logger: false })));
    try {
      const db = built[0].store.db;
      const migrations = await sql<{ name: string; n: number }>`select name, count(*)::int as n from kysely_migration group by name order by name`.execute(db);
      expect(migrations.rows).toEqual(Object.keys(MIGRATIONS).map((name) => ({ name, n: 1 })));
      expect(built.filter((b) => b.generatedAdminToken !== undefined)).toHaveLength(1);
      expect((await db.selectFrom('tokens').select('id').execute()).length).toBe(1);
      expect((await db.selectFrom('members').select('id').execute()).length).toBe(1);
      expect(new Set(built.map((b) => b.deps.accountId)).size).toBe(1);
      const token = built.find((b) => b.generatedAdminToken)!.generatedAdminToken!;
      for (const { app } of built) {
        expect((await app.inject({ url: '/api/v2/projects', headers: { authorization: token } })).statusCode).toBe(200);
        expect((await app.inject({ url: '/readyz' })).statusCode).toBe(200);
      }
    } finally {
      for (const { app } of built) await app.close();
    }
  });

  /** n instances built at once on a fresh PostgreSQL database, migrated beforehand (as by `iterlab migrate`). */
  async function startTogetherAfterMigrate(n: number, env: Record<string, string> = {}) {
    database = await freshDatabase('postgres');
    const store = Store.open(database.url);
    await store.migrate();
    await store.close();
    const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent', ...env });
    return Promise.all(Array.from({ length: n }, () => buildApp(config, { logger: false })));
  }

  it.skipIf(testDb !== 'postgres')('after `iterlab migrate`, instances racing on the empty store make one owner and one admin token', async () => {
    const built = await startTogetherAfterMigrate(4);
    try {
      expect(built.filter((b) => b.generatedAdminToken !== undefined)).toHaveLength(1);
      expect((await built[0].store.db.selectFrom('tokens').select('id').execute()).length).toBe(1);
      expect((await built[0].store.db.selectFrom('members').select('id').execute()).length).toBe(1);
    } finally {
      for (const { app } of built) await app.close();
    }
  });

  it.skipIf(testDb !== 'postgres')('instances given the same ITERLAB_ADMIN_TOKEN at once store it once', async () => {
    const built = await startTogetherAfterMigrate(3, { ITERLAB_ADMIN_TOKEN: 'api-shared-admin-token' });
    try {
      expect((await built[0].store.db.selectFrom('tokens').select('id').execute()).length).toBe(1);
    } finally {
      for (const { app } of built) await app.close();
    }
  });

  it.skipIf(testDb !== 'postgres')('exclusive() sections of different instances never overlap', async () => {
    database = await freshDatabase('postgres');
    const stores = [0, 1, 2].map(() => Store.open(database!.url));
    try {
      const spans: [number, number][] = [];
      await Promise.all(
        stores.map((store) =>
          store.exclusive(async (trx) => {
            const start = performance.now();
            await sql`select pg_sleep(0.05)`.execute(trx);
            spans.push([start, performance.now()]);
          }),
        ),
      );
      spans.sort((x, y) => x[0] - y[0]);
      for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
    } finally {
      for (const store of stores) await store.close();
    }
  });

  it('refuses a schema newer than this binary, naming the unknown migration', async () => {
    database = await freshDatabase();
    const store = Store.open(database.url);
    await store.migrate();
    await sql`insert into kysely_migration (name, timestamp) values ('999_from_the_future', ${new Date().toISOString()})`.execute(store.db);
    const config = loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' });
    const error = await buildApp(config, { store, logger: false }).catch((e) => e);
    await store.close();
    expect(error).toBeInstanceOf(SchemaTooNewError);
    expect(error.message).toMatch(/^the database schema is newer than this iterlab: it has migration 999_from_the_future, which this version \(knowing 001_initial[^)]*\) does not/);
  });

  it.skipIf(testDb !== 'postgres')('`iterlab serve` and `iterlab migrate` exit 1 with that message', async () => {
    database = await freshDatabase('postgres');
    const store = Store.open(database.url);
    await store.migrate();
    await sql`insert into kysely_migration (name, timestamp) values ('999_from_the_future', ${new Date().toISOString()})`.execute(store.db);
    await store.close();
    for (const command of ['serve', 'migrate']) {
      const { code, stderr } = await run(iterlabArgs(command), { DATABASE_URL: database.url, PORT: '0', LOG_LEVEL: 'warn' });
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(/^iterlab: the database schema is newer than this iterlab: it has migration 999_from_the_future/);
    }
  });

  it('043 moves the usage keys seen into series (metric, environment, dimensions): the same facts are read, and intake adds to the same series', async () => {
    database = await freshDatabase();
    const store = Store.open(database.url);
    try {
      await store.migrateTo('042_warehouse_setup');
      const day = Date.UTC(2026, 11, 1);
      const dims = ['user', 'false', 'NodeJSClient', 'server', 'backend', 'NodeJSClient'];
      const keys = [
        ['contexts', day, 'env-a', dims, 'user:alice'],
        ['contexts', day, 'env-a', dims, 'user:bob'],
        ['contexts', day + DAY_MS, 'env-a', dims, 'user:alice'],
        ['contexts', day, 'env-a', ['user', 'true', 'NodeJSClient', 'server', 'backend', 'NodeJSClient'], 'user:anon'],
        ['contexts', day, 'env-b', dims, 'user:alice'],
        ['experimentation-keys', day + 3 * HOUR_MS, 'env-a', ['checkout'], 'user:alice'],
      ] as const;
      await (store.db as Kysely<any>)
        .insertInto('usage_keys')
        .values(keys.map(([metric, at, environmentId, d, key]) => ({ metric, day: at, environment_id: environmentId, dims: JSON.stringify(d), key_hash: key })))
        .execute();
      await store.migrate();
      const facts = async (metric: string) => (await keyFacts(store.db, metric, 0, day + 30 * DAY_MS)).sort((a, b) => a.at - b.at || a.environmentId.localeCompare(b.environmentId) || a.key.localeCompare(b.key) || a.dims.join().localeCompare(b.dims.join()));
      expect(await facts('contexts')).toEqual([
        { environmentId: 'env-a', at: day, dims, key: 'user:alice' },
        { environmentId: 'env-a', at: day, dims: ['user', 'true', 'NodeJSClient', 'server', 'backend', 'NodeJSClient'], key: 'user:anon' },
        { environmentId: 'env-a', at: day, dims, key: 'user:bob' },
        { environmentId: 'env-b', at: day, dims, key: 'user:alice' },
        { environmentId: 'env-a', at: day + DAY_MS, dims, key: 'user:alice' },
      ]);
      expect(await facts('experimentation-keys')).toEqual([{ environmentId: 'env-a', at: day + 3 * HOUR_MS, dims: ['checkout'], key: 'user:alice' }]);
      expect(await store.db.selectFrom('usage_series').select('id').execute()).toHaveLength(4);
      // A key seen again by intake that day is already there, under the converted series; a new one joins it.
      await store.tx((trx) => addKeys(trx, 'env-a', day + HOUR_MS, [{ metric: 'contexts', dims, key: 'user:alice' }, { metric: 'contexts', dims, key: 'user:carol' }]));
      expect((await facts('contexts')).filter((f) => f.at === day && f.environmentId === 'env-a').map((f) => f.key)).toEqual(['user:alice', 'user:anon', 'user:bob', 'user:carol']);
      expect(await store.db.selectFrom('usage_series').select('id').execute()).toHaveLength(4);
    } finally {
      await store.close();
    }
  });

  it('`iterlab migrate` brings a fresh store up to date, and /readyz names a migration that has not run', async () => {
    database = await freshDatabase();
    const store = Store.open(database.url);
    expect((await store.migrationStatus()).pending).toEqual(Object.keys(MIGRATIONS));
    await store.migrate();
    expect(await store.migrationStatus()).toEqual({ pending: [], unknown: [] });
    const { app } = await buildApp(loadConfig({ DATABASE_URL: database.url, LOG_LEVEL: 'silent' }), { store, logger: false });
    try {
      expect((await app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
      await store.db.deleteFrom('kysely_migration' as never).execute();
      const res = await app.inject({ url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ code: 'service_unavailable', message: `Not ready: migrations ${Object.keys(MIGRATIONS).join(', ')} have not run yet` });
    } finally {
      await app.close();
    }
  });
});

function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}
