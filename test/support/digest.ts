// A hash of every table's contents, for asserting "a rejected request leaves the store byte-for-byte unchanged".
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { listTables, readAllTables, type TableInfo } from '../../src/store/exportImport.js';
import type { Store } from '../../src/store/db.js';
import { expect } from 'vitest';
import type { Response, TestServer } from './server.js';

/** The schema does not change while a test runs: look the tables up once per store. */
const schemas = new WeakMap<Store, Promise<TableInfo[]>>();

/**
 * A hash of every table's contents (tables discovered, so new tables count without changes here), for telling
 * whether a store changed: equal digests, equal contents. Digests of stores of different kinds do not compare.
 * SQLite's tables are read and hashed as canonical JSON. PostgreSQL hashes them itself in one query, each
 * table's rows as text in sorted order: reading every table for each digest made the sweeps that digest around
 * every request several times slower on PostgreSQL than on SQLite.
 */
export async function digestStore(store: Store): Promise<string> {
  let schema = schemas.get(store);
  if (!schema) {
    // Account usage's counters are the SDK traffic's telemetry, written after the answer (a stream's minutes when it
    // closes): not the store's resources, which a refused request must leave unchanged.
    schema = listTables(store.db, store.kind).then((tables) => tables.filter((t) => !t.name.startsWith('usage_')));
    schemas.set(store, schema);
  }
  if (store.kind === 'postgres') {
    const tables = (await schema).map((t) => sql`(select md5(coalesce(string_agg(r::text, E'\\n' order by r::text), '')) from ${sql.table(t.name)} r)`);
    const { rows } = await sql<{ digest: string }>`select md5(array_to_string(array[${sql.join(tables)}], ',')) as digest`.execute(store.db);
    return rows[0].digest;
  }
  const tables = await readAllTables(store, await schema);
  const hash = crypto.createHash('sha256');
  for (const name of Object.keys(tables).sort()) hash.update(JSON.stringify([name, tables[name].columns, tables[name].rows])).update('\n');
  return hash.digest('hex');
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
  for (const [token, status, code] of [
    [s.tokens.reader, 403, 'forbidden'],
    [s.tokens.writer, 403, 'forbidden'],
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
