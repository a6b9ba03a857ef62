// What reads done in JavaScript share: text in code-unit order (as JavaScript's `<` and both databases' binary
// collations compare it, so an order computed here matches one computed in SQL), and long reads' pages, with a turn
// of the event loop between them (on SQLite a read holds the event loop): the SDK events' among them.
import type { Db } from './db.js';
import type { Statement } from './statements.js';

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows sorted by a text column in code-unit order: a PostgreSQL database with a linguistic collation orders SQL's otherwise. */
export function byText<T extends Record<K, string>, K extends keyof T>(rows: T[], column: K): T[] {
  return rows.sort((a, b) => compareText(a[column], b[column]));
}

/** Rows a long read takes at a time. */
export const PAGE_ROWS = 2_000;

/** Lets the requests waiting on the event loop run before the next page. */
export const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A page of the SDK events of one environment and key, selecting `columns` where `where` holds: the page after
 * (creation_date, id) = (after, afterId), within [from, to]; the first page is after (from, '').
 */
export const pageOf = (columns: string, where: string) =>
  `select "id", "creation_date", ${columns} from "sdk_events" where "environment_id" = ? and ${where} and "key" = ? ` +
  'and "creation_date" >= ? and "creation_date" <= ? and ("creation_date" > ? or "id" > ?) order by "creation_date", "id" limit ?';
export type Paged = { id: string; creation_date: number };

/** Every row of a paged statement for (environment, key) in [from, to], a page at a time. */
export async function* pages<R extends Paged>(db: Db, query: Statement<R>, environmentId: string, key: string, [from, to]: [number, number]): AsyncGenerator<R[]> {
  let after: [number, string] = [from, ''];
  for (;;) {
    const rows = await query.run(db, [environmentId, key, after[0], to, after[0], after[1], PAGE_ROWS]);
    if (rows.length > 0) yield rows;
    if (rows.length < PAGE_ROWS) return;
    const last = rows[rows.length - 1];
    after = [Number(last.creation_date), last.id];
    await yieldTurn();
  }
}
