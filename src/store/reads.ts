// What reads done in JavaScript share: text in code-unit order (as JavaScript's `<` and both databases' binary
// collations compare it, so an order computed here matches one computed in SQL), and long reads' pages, with a turn
// of the event loop between them (on SQLite a read holds the event loop).

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows a long read takes at a time. */
export const PAGE_ROWS = 2_000;

/** Lets the requests waiting on the event loop run before the next page. */
export const yieldTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
