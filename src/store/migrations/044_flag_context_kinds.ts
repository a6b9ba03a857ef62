// Which context kinds evaluated each flag: per environment, flag key and kind, the last UTC day the SDKs' analytics
// events reported it (the flags' `expand=evaluation` and `filter=contextKindsEvaluated`). Written with the events
// payloads, at most once a day per row and instance; the key is the row (WITHOUT ROWID on SQLite). Filled here from
// the events already stored.
import { PostgresAdapter, sql, type Kysely } from 'kysely';
// The intake's own reading of events, not a frozen copy: rows derived here must be those intake would derive.
import { addEvaluatedKinds, type EvaluatedKind } from '../../sdk/evaluatedKinds.js';

/** Events read at a time while filling the table. */
const PAGE_ROWS = 2_000;
/** Rows an insert carries: 4 parameters each. */
const ROWS_PER_INSERT = 500;

export async function up(schema: Kysely<unknown>): Promise<void> {
  const db = schema as Kysely<any>;
  const sqlite = !(db.getExecutor().adapter instanceof PostgresAdapter);
  await db.schema
    .createTable('flag_context_kinds')
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('flag_key', 'text', (c) => c.notNull())
    .addColumn('context_kind', 'text', (c) => c.notNull())
    .addColumn('last_day', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('flag_context_kinds_pk', ['environment_id', 'flag_key', 'context_kind'])
    .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
    .execute();
  await fill(db);
}

/** Every stored feature, debug and summary event's kinds, a page at a time in id order. */
async function fill(db: Kysely<any>): Promise<void> {
  const byEnvironment = new Map<string, Map<string, EvaluatedKind>>();
  let after = '';
  for (;;) {
    const rows: { id: string; environment_id: string; creation_date: number | string; received_at: number | string; doc: string }[] = await db
      .selectFrom('sdk_events')
      .select(['id', 'environment_id', 'creation_date', 'received_at', 'doc'])
      .where('kind', 'in', ['feature', 'debug', 'summary'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE_ROWS)
      .execute();
    for (const row of rows) {
      let kinds = byEnvironment.get(row.environment_id);
      if (!kinds) byEnvironment.set(row.environment_id, (kinds = new Map()));
      addEvaluatedKinds(kinds, JSON.parse(row.doc), Math.max(0, Math.min(Number(row.creation_date), Number(row.received_at))));
    }
    if (rows.length < PAGE_ROWS) break;
    after = rows[rows.length - 1].id;
  }
  const rows = [...byEnvironment].flatMap(([environmentId, kinds]) =>
    [...kinds.values()].map((k) => ({ environment_id: environmentId, flag_key: k.flagKey, context_kind: k.kind, last_day: k.day })),
  );
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await db.insertInto('flag_context_kinds').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
