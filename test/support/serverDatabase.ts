// The database a test server starts on. Creating and migrating a PostgreSQL database for each test server cost
// ~0.75 s of every server's start and close with two workers, the larger part of the PostgreSQL run; SQLite's
// migrations ~30 ms. So globalSetup.ts migrates one template per project and run: a SQLite server starts on a copy
// of its file; a PostgreSQL server on a database created from it, which it gives back emptied when it closes, for
// the worker's next server. The server still runs its migrations, and finds none to do.
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { Store } from '../../src/store/db.js';
import { asAdmin, databaseName, dropDatabase, freshDatabase, testDb, type FreshDatabase, type TestDb } from './db.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The migrated template's URL for this project's store, '' when there is none. */
    templateDatabase: string;
  }
}

/**
 * Makes the migrated template for `kind` and hands its URL to the project's tests. Returns what drops it with every
 * database made from it, among them those the workers kept for their next server (they are named after it).
 */
export async function provideTemplate(project: TestProject, kind: TestDb): Promise<() => Promise<void>> {
  const template = await freshDatabase(kind);
  const store = Store.open(template.url);
  try {
    await store.migrate();
  } finally {
    // Closing the last connection checkpoints SQLite's WAL into the file, so the file alone is the whole copy.
    await store.close();
  }
  project.provide('templateDatabase', template.url);
  return async () => {
    if (kind === 'postgres') {
      const { rows } = await asAdmin(`select datname from pg_database where datname like '${databaseName(template.url)}\\_%'`);
      for (const { datname } of rows) await asAdmin(`drop database if exists ${datname} with (force)`);
    }
    await template.drop();
  };
}

/** PostgreSQL databases this worker's closed servers left, emptied, for its next servers. */
const idle: string[] = [];
/**
 * A connection to each database this worker made, kept open to empty it: a new connection and its cold catalog
 * caches cost more than the emptying. It carries no `iterlab` application name, which tests counting the server's
 * connections look for.
 */
const keepers = new Map<string, Promise<pg.Client>>();

/** The run's migrated template, or none outside a Vitest worker (a bench script's test server: bench/pg-round-trips.ts). */
async function templateDatabase(): Promise<string | undefined> {
  // Imported here, not at the top: globalSetup.ts loads this module in Vitest's main process, outside any test.
  // Outside a worker Vitest refuses to load at all (a worker's environment, VITEST_WORKER_ID, is no sign: a bench
  // script a test runs inherits it).
  let vitest: typeof import('vitest');
  try {
    vitest = await import('vitest');
  } catch {
    return undefined;
  }
  return vitest.inject('templateDatabase');
}

/**
 * A database for a test server on the project's store: migrated, empty, and dropped or emptied when the server is done
 * with it. Another store than the project's (a test asking for both) gets a fresh, unmigrated one.
 */
export async function serverDatabase(kind: TestDb = testDb): Promise<FreshDatabase> {
  const template = await templateDatabase();
  if (kind !== testDb || !template) return freshDatabase(kind);
  if (kind === 'sqlite') return freshDatabase(kind, template);
  const url = idle.pop() ?? (await freshDatabase(kind, template)).url;
  // The worker's first copy, before any server uses it, tells what a database made from the template looks like.
  templateShape ??= await shapeOf(await keeper(url));
  return {
    url,
    drop: async () => {
      if (await emptied(url)) idle.push(url);
      else {
        await forget(url);
        await dropDatabase(url);
      }
    },
  };
}

/**
 * What the template's schema is (tables, columns, indexes, constraints, migrations), and its tables. The write
 * counter that test digests add (digest.ts: a sequence, and a trigger on each table that only advances it) is not
 * part of it: a database that has one is reused as it is.
 */
interface Shape {
  signature: string;
  tables: string[];
}
let templateShape: Shape | undefined;

const SHAPE_SQL = `
  with rel as (select c.* from pg_class c join pg_namespace n on n.oid = c.relnamespace and n.nspname = current_schema() where c.relname <> 'iterlab_test_writes')
  select md5(string_agg(item, ',' order by item)) as signature, array_agg(substr(item, 3)) filter (where item like 't:%') as tables
  from (
    select 't:' || relname as item from rel where relkind = 'r'
    union all select relkind::text || ':' || relname from rel where relkind <> 'r'
    union all select 'c:' || rel.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || ' ' || a.attnotnull
      from rel join pg_attribute a on a.attrelid = rel.oid and a.attnum > 0 and not a.attisdropped where rel.relkind = 'r'
    union all select 'k:' || conname || ' ' || pg_get_constraintdef(oid) from pg_constraint where connamespace = current_schema()::regnamespace
    union all select 'm:' || name from kysely_migration
  ) items`;

async function shapeOf(client: pg.Client): Promise<Shape> {
  const { rows } = await client.query<Shape>(SHAPE_SQL);
  return rows[0];
}

/**
 * Empties a closed server's database for the next one. False when the database is not as the template made it (a
 * test dropped a table), or could not be emptied (a connection the test left holds a lock, or the user may not set
 * session_replication_role); it is then dropped instead. Rows are deleted with foreign keys unchecked, then the
 * tables that had any vacuumed: TRUNCATE took ~90 ms for a few tables, this ~20 ms, and vacuuming keeps a database
 * that serves hundreds of servers in a run as small as a fresh one.
 */
async function emptied(url: string): Promise<boolean> {
  const shape = templateShape;
  if (!shape) return false;
  try {
    const client = await keeper(url);
    const data = shape.tables.filter((t) => !t.startsWith('kysely_migration'));
    const results = (await client.query(
      `set lock_timeout = '2s'; begin; set local session_replication_role = replica; ${data.map((t) => `delete from "${t}";`).join(' ')} ${SHAPE_SQL}; commit`,
    )) as unknown as pg.QueryResult[];
    if ((results.at(-2)?.rows[0] as Shape).signature !== shape.signature) return false;
    const deleted = data.filter((_, i) => (results[i + 3].rowCount ?? 0) > 0);
    if (deleted.length > 0) await client.query(`vacuum ${deleted.map((t) => `"${t}"`).join(', ')}`);
    return true;
  } catch {
    return false;
  }
}

function keeper(url: string): Promise<pg.Client> {
  let client = keepers.get(url);
  if (!client) {
    const c = new pg.Client({ connectionString: url, application_name: 'test-database-keeper' });
    // Dropping the database ends this connection: that must not crash the worker.
    c.on('error', () => {});
    client = c.connect().then(() => c);
    keepers.set(url, client);
  }
  return client;
}

async function forget(url: string): Promise<void> {
  const client = keepers.get(url);
  keepers.delete(url);
  await client?.then((c) => c.end()).catch(() => {});
}
