// Forgets the SDKs' analytics events older than EVENTS_RETENTION_DAYS (by when they were received), and the payload
// ids that guard against an SDK's retries once no retry can come, every hour on every instance (deleting what another
// instance already deleted deletes nothing).
import type { Store } from '../store/db.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** An SDK retries a payload once, a second after it failed; a day later its id guards nothing. */
const PAYLOAD_ID_TTL_MS = DAY_MS;
/** Rows a delete takes at a time: each batch is its own short transaction, so writes of events go on between them. */
const BATCH = 5_000;

export interface RetentionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class EventRetention {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly store: Store,
    private readonly retentionDays: number,
    private readonly now: () => number,
    private readonly log: RetentionLog,
  ) {}

  /** Runs a minute after start-up, then every hour. */
  start(): void {
    const tick = () => {
      this.running = this.run().catch((err) => this.log.warn({ err }, 'could not delete expired SDK events'));
      this.timer = setTimeout(tick, HOUR_MS).unref();
    };
    this.timer = setTimeout(tick, 60_000).unref();
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await this.running;
  }

  /** Deletes what has expired by now; returns how many events and payload ids it deleted. */
  async run(): Promise<{ events: number; payloadIds: number }> {
    const now = this.now();
    const events = this.retentionDays > 0 ? await this.deleteBefore('sdk_events', now - this.retentionDays * DAY_MS) : 0;
    const payloadIds = await this.deleteBefore('sdk_event_payloads', now - PAYLOAD_ID_TTL_MS);
    if (events > 0) this.log.info({ events, retentionDays: this.retentionDays }, 'deleted SDK events past their retention');
    return { events, payloadIds };
  }

  private async deleteBefore(table: 'sdk_events' | 'sdk_event_payloads', before: number): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.store.tx(async (trx) => {
        // A batch of the oldest rows, by the received_at index: up to the BATCH-th oldest's time (ties included).
        const edge = await trx.selectFrom(table).select('received_at').where('received_at', '<', before).orderBy('received_at').offset(BATCH - 1).limit(1).executeTakeFirst();
        let query = trx.deleteFrom(table).where('received_at', '<', before);
        if (edge) query = query.where('received_at', '<=', Number(edge.received_at));
        return Number((await query.executeTakeFirst()).numDeletedRows);
      });
      total += deleted;
      if (deleted < BATCH) return total;
    }
  }
}
