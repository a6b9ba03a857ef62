// A hash of every table's contents, for asserting "a rejected request leaves the store byte-for-byte unchanged".
import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { listTables, readAllTables, type TableInfo } from '../../src/store/exportImport.js';
import type { Store } from '../../src/store/db.js';
import { expect } from 'vitest';
import type { Response, TestServer } from './server.js';

/** The schema does not change while a test runs: look the tables up once per store. */
const schemas = new WeakMap<Store, Promise<TableInfo[]>>();

function tablesOf(store: Store): Promise<TableInfo[]> {
  let schema = schemas.get(store);
  if (!schema) {
    // Account usage's counters are the SDK traffic's telemetry, written after the answer (a stream's minutes when it
    // closes): not the store's resources, which a refused request must leave unchanged.
    schema = listTables(store.db, store.kind).then((tables) => tables.filter((t) => !t.name.startsWith('usage_')));
    schemas.set(store, schema);
  }
  return schema;
}

/**
 * A hash of every table's contents (tables discovered, so new tables count without changes here), for telling
 * whether a store changed: equal digests, equal contents. Digests of stores of different kinds do not compare.
 *
 * Most digests are taken where nothing was written since the last one (a refused request), so each store's last
 * digest is kept with a write marker that moves with every committed write, and is answered again while the marker
 * has not moved (`writeMarker`). Hashing every table each time was most of the sweeps' time (hostile-http: 21,673
 * digests, 164 of its 207 s on PostgreSQL).
 */
export async function digestStore(store: Store): Promise<string> {
  const marker = await writeMarker(store);
  const last = lastDigests.get(store);
  if (marker !== undefined && last?.marker === marker) return last.digest;
  const digest = await hashTables(store);
  if (marker === undefined) lastDigests.delete(store);
  else lastDigests.set(store, { marker, digest });
  return digest;
}

const lastDigests = new WeakMap<Store, { marker: string; digest: string }>();

/**
 * Hashes every table. SQLite's tables are read and hashed as canonical JSON. PostgreSQL hashes them itself in one
 * query, each table's rows as text in sorted order: reading every table for each digest made the sweeps several
 * times slower on PostgreSQL than on SQLite.
 */
async function hashTables(store: Store): Promise<string> {
  const schema = await tablesOf(store);
  if (store.kind === 'postgres') {
    const tables = schema.map((t) => sql`(select md5(coalesce(string_agg(r::text, E'\\n' order by r::text), '')) from ${sql.table(t.name)} r)`);
    const { rows } = await sql<{ digest: string }>`select md5(array_to_string(array[${sql.join(tables)}], ',')) as digest`.execute(store.db);
    return rows[0].digest;
  }
  const tables = await readAllTables(store, schema);
  const hash = crypto.createHash('sha256');
  for (const name of Object.keys(tables).sort()) hash.update(JSON.stringify([name, tables[name].columns, tables[name].rows])).update('\n');
  return hash.digest('hex');
}

/**
 * A value that differs from the last one read whenever a write was committed in between; undefined when that cannot
 * be told now (the last digest is then not trusted, and every table is hashed).
 *
 * - SQLite: `PRAGMA data_version` on a read-only connection of the digest's own, which changes when any other
 *   connection commits (never for a rolled-back transaction). An in-memory store has no second connection.
 * - PostgreSQL: a sequence that a statement trigger on every table (but usage's) advances. A trigger fires when its
 *   statement runs, before its commit, so while any other session of the database holds a transaction id (it has
 *   written and not yet ended) the marker is undefined. A rolled-back write advances the sequence too: the tables are
 *   then hashed, and compare equal.
 */
async function writeMarker(store: Store): Promise<string | undefined> {
  if (store.kind === 'sqlite') {
    const connection = dataVersionConnection(store);
    return connection ? String(connection.pragma('data_version', { simple: true })) : undefined;
  }
  await installWriteCounter(store);
  const { rows } = await sql<{ marker: string; writing: boolean }>`
    select (select last_value::text || '/' || is_called::text from iterlab_test_writes) as marker,
      exists (select 1 from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and backend_xid is not null) as writing`.execute(store.db);
  return rows[0].writing ? undefined : rows[0].marker;
}

/** The read-only connections that read SQLite's data_version, by file: a few at a time, the oldest closed. */
const versionConnections = new Map<string, Database.Database>();

function dataVersionConnection(store: Store): Database.Database | undefined {
  const file = store.connectionUrl.slice('sqlite:'.length);
  if (file === '' || file === ':memory:') return undefined;
  let connection = versionConnections.get(file);
  if (!connection) {
    if (!fs.existsSync(file)) return undefined;
    connection = new Database(file, { readonly: true, fileMustExist: true });
    versionConnections.set(file, connection);
    for (const [other, open] of versionConnections) {
      if (versionConnections.size <= 4) break;
      open.close();
      versionConnections.delete(other);
    }
  }
  return connection;
}

/** Adds the write counter to a PostgreSQL store once: its sequence, its function, and a trigger on each table. */
const counters = new WeakMap<Store, Promise<void>>();

function installWriteCounter(store: Store): Promise<void> {
  let installed = counters.get(store);
  if (!installed) {
    installed = tablesOf(store).then(async (tables) => {
      const names = tables.map((t) => `'${t.name.replaceAll("'", "''")}'`).join(', ');
      // One block under an advisory lock: several servers may share a database (and so its function).
      await sql
        .raw(
          `do $$ declare t text; begin
            perform pg_advisory_xact_lock(hashtext('iterlab_test_writes'));
            create sequence if not exists iterlab_test_writes;
            create or replace function iterlab_test_count_write() returns trigger language plpgsql as $f$ begin perform nextval('iterlab_test_writes'); return null; end $f$;
            foreach t in array array[${names}]::text[] loop
              execute format('create or replace trigger iterlab_test_writes after insert or update or delete or truncate on %I for each statement execute function iterlab_test_count_write()', t);
            end loop;
          end $$`,
        )
        .execute(store.db);
    });
    counters.set(store, installed);
  }
  return installed;
}

/** Runs `act` and reports whether it changed the store. */
export async function changedBy(store: Store, act: () => Promise<unknown>): Promise<boolean> {
  const before = await digestStore(store);
  await act();
  return (await digestStore(store)) !== before;
}

/** Sends a request, asserts it changed nothing in the store, and answers the response. */
export async function unchangedBy(store: Store, send: () => Promise<Response>): Promise<Response> {
  let res: Response | undefined;
  expect(await changedBy(store, async () => (res = await send()))).toBe(false);
  return res!;
}

/**
 * Sends an admin-only write with every lesser credential and asserts each is refused without changing the store:
 * 403 forbidden for a reader's and a writer's token, 401 unauthorized without a token and with an unknown one.
 */
export async function expectAdminOnly(s: TestServer, send: (token: string | null) => Promise<Response>): Promise<void> {
  await expectWriters(s, send);
  const res = await unchangedBy(s.store, () => send(s.tokens.writer));
  expect(res.status, 'token writer').toBe(403);
  expect(res.body.code).toBe('forbidden');
}

/** Sends a write with a reader's token and with none or an unknown one: refused (403, 401), and nothing changes. */
export async function expectWriters(s: TestServer, send: (token: string | null) => Promise<Response>): Promise<void> {
  for (const [token, status, code] of [
    [s.tokens.reader, 403, 'forbidden'],
    [null, 401, 'unauthorized'],
    ['api-00000000-0000-4000-8000-000000000000', 401, 'unauthorized'],
  ] as const) {
    const res = await unchangedBy(s.store, () => send(token));
    expect(res.status, `token ${String(token)}`).toBe(status);
    expect(res.body.code).toBe(code);
  }
}

/**
 * Sends a request that must be refused and asserts it changed nothing: its status, and when given its `code` and its
 * message (the very text, or a pattern it matches).
 */
export async function expectRefused(store: Store, send: () => Promise<Response>, status: number, code?: string, message?: string | RegExp): Promise<Response> {
  const res = await unchangedBy(store, send);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  if (code !== undefined) expect(res.body.code).toBe(code);
  if (typeof message === 'string') expect(res.body.message).toBe(message);
  else if (message) expect(res.body.message).toMatch(message);
  return res;
}
