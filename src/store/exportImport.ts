// The whole store as one JSON document (every table, discovered), and its import into an empty store.
import { sql, type Kysely } from 'kysely';
import { MIGRATIONS, type DbKind, type Store } from './db.js';
import { compareText } from './reads.js';

export const EXPORT_FORMAT = 'iterlab-export';
export const EXPORT_VERSION = 1;

/** The values a column can hold in either database; anything else is refused rather than mangled. */
export type Cell = string | number | boolean | null;

export interface TableDump {
  columns: string[];
  /** Rows as arrays in `columns` order, sorted by code-unit order of their cells (the same on both databases). */
  rows: Cell[][];
}

export interface ExportDocument {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  /** The database the document was exported from (informational). */
  source: DbKind;
  /** The schema's migrations, in order: an import refuses a document from a newer schema. */
  migrations: string[];
  tables: Record<string, TableDump>;
}

/** A refusal the operator can act on: the message says what is wrong and what to do. */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

type AnyDb = Kysely<any>;

export interface TableInfo {
  name: string;
  columns: string[];
}

/**
 * Tables of work under way, not of data: webhook deliveries waiting to be made. A store exported while one waits
 * would have it made again by the store it is imported into, so they are neither exported nor kept by an import.
 */
const WORK_TABLES = new Set(['webhook_deliveries']);

/** Every application table (views, Kysely's migration tables and WORK_TABLES excluded), by name. */
export async function listTables(db: AnyDb, kind: DbKind): Promise<TableInfo[]> {
  let tables = (await db.introspection.getTables()).filter((t) => !t.isView && !WORK_TABLES.has(t.name));
  if (kind === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    tables = tables.filter((t) => t.schema === rows[0].schema);
  }
  return tables.map((t) => ({ name: t.name, columns: t.columns.map((c) => c.name) })).sort((a, b) => compareText(a.name, b.name));
}

function compareCells(a: Cell, b: Cell): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compareText(`${typeof a}:${String(a)}`, `${typeof b}:${String(b)}`);
}

function compareRows(a: Cell[], b: Cell[]): number {
  for (let i = 0; i < a.length; i++) {
    const c = compareCells(a[i], b[i]);
    if (c !== 0) return c;
  }
  return 0;
}

function toCell(value: unknown, table: string, column: string): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) throw new Error(`${table}.${column} holds ${value}, beyond the integers JSON carries exactly`);
    return value;
  }
  if (typeof value === 'bigint') {
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new Error(`${table}.${column} holds ${value}, beyond the integers JSON carries exactly`);
    }
    return Number(value);
  }
  throw new Error(`${table}.${column} holds a value of a type the export does not carry (${Object.prototype.toString.call(value)})`);
}

async function readTable(db: AnyDb, table: TableInfo): Promise<TableDump> {
  const raw = (await db.selectFrom(table.name).selectAll().execute()) as Record<string, unknown>[];
  const rows = raw.map((row) => table.columns.map((column) => toCell(row[column], table.name, column)));
  rows.sort(compareRows);
  return { columns: table.columns, rows };
}

/**
 * A consistent snapshot of every table: one read transaction (REPEATABLE READ on PostgreSQL). `tables`
 * skips the schema lookup when the caller already holds it (a test digesting after every request).
 */
export async function readAllTables(store: Store, tables?: TableInfo[]): Promise<Record<string, TableDump>> {
  let tx = store.db.transaction();
  if (store.kind === 'postgres') tx = tx.setIsolationLevel('repeatable read');
  return tx.execute(async (trx) => {
    const out: Record<string, TableDump> = {};
    for (const table of tables ?? (await listTables(trx, store.kind))) out[table.name] = await readTable(trx, table);
    return out;
  });
}

export async function exportStore(store: Store, now = Date.now()): Promise<ExportDocument> {
  const migrations = await store.executedMigrations();
  if (migrations.length === 0) throw new ImportError('the store has no iterlab schema (no migrations have run): there is nothing to export');
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: new Date(now).toISOString(),
    source: store.kind,
    migrations,
    tables: await readAllTables(store),
  };
}

/** Checks the document's shape before anything is written, naming the first thing wrong. */
function checkDocument(doc: unknown): asserts doc is ExportDocument {
  const d = doc as Partial<ExportDocument> | null;
  if (!d || typeof d !== 'object' || d.format !== EXPORT_FORMAT) throw new ImportError(`not an iterlab export: "format" must be "${EXPORT_FORMAT}"`);
  if (d.version !== EXPORT_VERSION) throw new ImportError(`unsupported export version ${JSON.stringify(d.version)}; this iterlab reads version ${EXPORT_VERSION}`);
  if (!Array.isArray(d.migrations) || d.migrations.length === 0 || !d.migrations.every((m) => typeof m === 'string')) {
    throw new ImportError('invalid export: "migrations" must be a non-empty list of migration names');
  }
  if (!d.tables || typeof d.tables !== 'object') throw new ImportError('invalid export: "tables" is missing');
  for (const [name, table] of Object.entries(d.tables)) {
    if (!table || !Array.isArray(table.columns) || !Array.isArray(table.rows)) throw new ImportError(`invalid export: table "${name}" needs "columns" and "rows"`);
    table.rows.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== table.columns.length) {
        throw new ImportError(`invalid export: row ${i} of table "${name}" does not have ${table.columns.length} cells`);
      }
    });
  }
}

/** Tables ordered so that every table comes after the tables its foreign keys reference. */
async function insertionOrder(db: AnyDb, kind: DbKind, tables: string[]): Promise<string[]> {
  const references = new Map<string, Set<string>>(tables.map((t) => [t, new Set<string>()]));
  if (kind === 'sqlite') {
    for (const table of tables) {
      const { rows } = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${table})`.execute(db);
      for (const row of rows) if (row.table !== table && references.has(row.table)) references.get(table)!.add(row.table);
    }
  } else {
    const { rows } = await sql<{ child: string; parent: string }>`
      select c.relname as child, p.relname as parent
      from pg_constraint k
      join pg_class c on c.oid = k.conrelid
      join pg_class p on p.oid = k.confrelid
      join pg_namespace n on n.oid = c.relnamespace
      where k.contype = 'f' and n.nspname = current_schema()`.execute(db);
    for (const row of rows) if (row.child !== row.parent && references.has(row.child) && references.has(row.parent)) references.get(row.child)!.add(row.parent);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  while (order.length < tables.length) {
    const ready = tables.filter((t) => !placed.has(t) && [...references.get(t)!].every((p) => placed.has(p)));
    if (ready.length === 0) throw new ImportError(`the tables' foreign keys form a cycle (${tables.filter((t) => !placed.has(t)).join(', ')}); cannot order the import`);
    for (const t of ready) {
      order.push(t);
      placed.add(t);
    }
  }
  return order;
}

/** Brings an empty store's schema to exactly the document's migrations, so its rows fit the tables. */
async function prepareSchema(store: Store, docMigrations: string[]): Promise<void> {
  const unknown = docMigrations.filter((name) => !(name in MIGRATIONS));
  if (unknown.length > 0) {
    throw new ImportError(
      `the document comes from a newer iterlab schema (migrations ${unknown.join(', ')} are unknown to this version); upgrade iterlab, then import`,
    );
  }
  const known = Object.keys(MIGRATIONS).sort();
  if (docMigrations.some((name, i) => known[i] !== name)) {
    throw new ImportError(`the document's migrations (${docMigrations.join(', ')}) are not a prefix of this iterlab's (${known.join(', ')})`);
  }
  const have = await store.executedMigrations();
  if (have.length === 0) {
    await store.migrateTo(docMigrations[docMigrations.length - 1]);
    return;
  }
  if (have.join(',') !== docMigrations.join(',')) {
    throw new ImportError(
      `the store's schema (migrations ${have.join(', ')}) differs from the document's (${docMigrations.join(', ')}); import into a new, empty database`,
    );
  }
}

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const PARAMETERS_PER_INSERT = 5000;

/**
 * Restores a document into an EMPTY store in one transaction, then runs any newer migrations over it.
 * Refuses (ImportError, nothing written) a non-empty store, a document from a newer schema, or one whose
 * tables do not match the schema.
 */
export async function importStore(store: Store, doc: unknown): Promise<{ tables: number; rows: number }> {
  checkDocument(doc);
  await prepareSchema(store, doc.migrations);
  let rows = 0;
  const tableCount = await store.tx(async (trx) => {
    const tables = await listTables(trx, store.kind);
    const byName = new Map(tables.map((t) => [t.name, t]));
    for (const table of tables) {
      const found = await trx.selectFrom(table.name as never).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const n = Number((found as { n: number }).n);
      if (n > 0) throw new ImportError(`the store is not empty (table "${table.name}" has ${n} rows); import only into an empty store`);
    }
    for (const [name, table] of Object.entries(doc.tables)) {
      const target = byName.get(name);
      if (!target) throw new ImportError(`the document has a table "${name}" that this schema does not`);
      const missing = table.columns.filter((c) => !target.columns.includes(c));
      const extra = target.columns.filter((c) => !table.columns.includes(c));
      if (missing.length > 0 || extra.length > 0) {
        throw new ImportError(`table "${name}" has columns ${table.columns.join(', ')} in the document but ${target.columns.join(', ')} in this schema`);
      }
    }
    const order = await insertionOrder(trx, store.kind, tables.map((t) => t.name));
    const batch = (columns: number) => Math.max(1, Math.floor(PARAMETERS_PER_INSERT / Math.max(1, columns)));
    for (const name of order) {
      const table = doc.tables[name];
      if (!table) continue;
      const size = batch(table.columns.length);
      for (let i = 0; i < table.rows.length; i += size) {
        const values = table.rows.slice(i, i + size).map((row) => {
          const record: Record<string, unknown> = {};
          table.columns.forEach((column, c) => {
            const cell = row[c];
            // better-sqlite3 binds no booleans; SQLite keeps them as 0/1 anyway.
            record[column] = typeof cell === 'boolean' && store.kind === 'sqlite' ? Number(cell) : cell;
          });
          return record;
        });
        await trx.insertInto(name as never).values(values as never).execute();
      }
      rows += table.rows.length;
    }
    // The audit log's rows left deliveries if webhooks were imported before them (migration 017's trigger).
    const present = new Set((await trx.introspection.getTables()).map((t) => t.name));
    for (const name of WORK_TABLES) if (present.has(name)) await trx.deleteFrom(name as never).execute();
    return order.length;
  });
  await store.migrate();
  return { tables: tableCount, rows };
}
