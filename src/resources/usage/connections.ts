// The SDKs' streaming connections, counted for account usage: each connection counts once in every hour it is open
// (in the hour it opens, at once), and adds the minutes it is open to each hour's counter: when it closes, and every
// hour while it stays open (so that a connection open for days is counted each hour, and an instance that stops
// without closing loses at most that hour's minutes). The writes are this instance's own, after the answer.
import type { FastifyBaseLogger } from 'fastify';
import type { Store } from '../../store/db.js';
import { addCounts, type HourlyCount } from './record.js';
import { HOUR_MS, hourOf, METRIC, type SdkIdentity } from './tally.js';

interface Connection {
  environmentId: string;
  dims: string[];
  /** Until when its minutes are counted. */
  accountedUntil: number;
  /** The latest hour it is counted in. */
  countedHour: number;
}

export class ConnectionUsage {
  private readonly open = new Set<Connection>();
  private readonly pending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  /** Once stopped (the server closes), nothing more is written: the store closes next. */
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Every hour, a little after it begins: each open connection's minutes so far, and its count in the new hour. */
  start(): void {
    const tick = () => {
      this.countOpen();
      this.timer = setTimeout(tick, HOUR_MS - (this.now() % HOUR_MS) + 1_000).unref();
    };
    this.timer = setTimeout(tick, HOUR_MS - (this.now() % HOUR_MS) + 1_000).unref();
  }

  /** Counts each open connection's minutes so far, and its count in each hour it entered since (the hourly tick). */
  countOpen(): void {
    this.write([...this.open].flatMap((c) => this.account(c, this.now(), true)));
  }

  /** Resolves once the writes begun so far have ended. */
  async settled(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  /** A stream opened by `sdk` (source `server` for the SDK key's streams, `client` for the others); call the answer when it closes. */
  opened(environmentId: string, source: 'client' | 'server', sdk: SdkIdentity): () => void {
    const at = this.now();
    if (this.stopped) return () => {};
    const connection: Connection = { environmentId, dims: [source, sdk.name, sdk.version, sdk.applicationId], accountedUntil: at, countedHour: hourOf(at) };
    this.open.add(connection);
    this.write([{ metric: METRIC.streams, environmentId, dims: connection.dims, hour: at, count: 1, minutes: 0 }]);
    let closed = false;
    return () => {
      if (closed || this.stopped) return;
      closed = true;
      this.open.delete(connection);
      this.write(this.account(connection, this.now(), false));
    };
  }

  /** Counts every open connection's minutes so far (the server stops), and waits for the writes begun. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    const at = this.now();
    this.write([...this.open].flatMap((c) => this.account(c, at, false)));
    this.open.clear();
    this.stopped = true;
    await Promise.all([...this.pending]);
  }

  /** The connection's minutes from when it was last counted until `until`, by hour, and its count in each hour it enters. */
  private account(c: Connection, until: number, stillOpen: boolean): HourlyCount[] {
    const rows: HourlyCount[] = [];
    for (let from = c.accountedUntil; from < until; ) {
      const hour = hourOf(from);
      const end = Math.min(until, hour + HOUR_MS);
      const isNew = hour > c.countedHour;
      rows.push({ metric: METRIC.streams, environmentId: c.environmentId, dims: c.dims, hour, count: isNew ? 1 : 0, minutes: (end - from) / 60_000 });
      if (isNew) c.countedHour = hour;
      from = end;
    }
    // A connection still open at the start of an hour is in it, even before a minute of it has passed.
    const hour = hourOf(until);
    if (stillOpen && hour > c.countedHour) {
      rows.push({ metric: METRIC.streams, environmentId: c.environmentId, dims: c.dims, hour, count: 1, minutes: 0 });
      c.countedHour = hour;
    }
    c.accountedUntil = Math.max(c.accountedUntil, until);
    return rows;
  }

  private write(rows: HourlyCount[]): void {
    if (rows.length === 0 || this.stopped) return;
    const done: Promise<void> = this.store
      .tx((trx) => addCounts(trx, rows))
      .catch((err) => this.log.warn({ err }, 'could not count SDK stream usage'))
      .finally(() => this.pending.delete(done));
    this.pending.add(done);
  }
}
