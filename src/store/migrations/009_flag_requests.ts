// Flag requests: per environment and flag key, when the SDKs last evaluated the flag and the default value their code
// passed, kept up to date as events arrive, for the flag status operations. They cannot be read from the events
// alone at a reasonable cost: a summary event (most evaluations are only counted in one) names its flags inside its
// document, where no index reaches. Filled here from the events already stored.
import type { Kysely } from 'kysely';
// The intake's own reading of events, not a frozen copy: requests derived here must be those intake would derive.
import { addFlagRequests, type FlagRequest } from '../../sdk/flagRequests.js';

/** Events read at a time while filling the table. */
const PAGE_ROWS = 2_000;
/** Rows an insert carries: 5 parameters each. */
const ROWS_PER_INSERT = 500;

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('flag_requests')
    .addColumn('environment_id', 'text', (c) => c.notNull().references('environments.id').onDelete('cascade'))
    .addColumn('flag_key', 'text', (c) => c.notNull())
    .addColumn('last_requested', 'bigint', (c) => c.notNull())
    // JSON of the default the code passed in the latest evaluation that carried one, and when that was.
    .addColumn('default_value', 'text')
    .addColumn('default_seen_at', 'bigint')
    .addPrimaryKeyConstraint('flag_requests_pk', ['environment_id', 'flag_key'])
    .execute();
  await fill(db as Kysely<any>);
}

/** Every stored feature, debug and summary event's evaluations, a page at a time in id order. */
async function fill(db: Kysely<any>): Promise<void> {
  const byEnvironment = new Map<string, Map<string, FlagRequest>>();
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
      let requests = byEnvironment.get(row.environment_id);
      if (!requests) byEnvironment.set(row.environment_id, (requests = new Map()));
      addFlagRequests(requests, JSON.parse(row.doc), Math.max(0, Math.min(Number(row.creation_date), Number(row.received_at))));
    }
    if (rows.length < PAGE_ROWS) break;
    after = rows[rows.length - 1].id;
  }
  const rows = [...byEnvironment].flatMap(([environmentId, requests]) =>
    [...requests].map(([key, r]) => ({ environment_id: environmentId, flag_key: key, last_requested: r.at, default_value: r.defaultValue ?? null, default_seen_at: r.defaultAt ?? null })),
  );
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await db.insertInto('flag_requests').values(rows.slice(i, i + ROWS_PER_INSERT)).execute();
}

export async function down(): Promise<void> {
  throw new Error('iterlab migrations are forward-only');
}
