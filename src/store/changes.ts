// The change bus: after a write commits, every instance's in-memory caches hear of it (PostgreSQL LISTEN/NOTIFY).
import crypto from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';
import { pgModule } from './pgModule.js';
import type { ChangeNotice } from '../http/context.js';
import type { Store } from './db.js';

/** A change, or null: "anything may have changed" (the bus was deaf for a while). */
export type ChangeListener = (notice: ChangeNotice | null) => void;

export interface BusLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ChangeBus {
  /**
   * True while this instance is sure to hear every other instance's changes. While false, caches must not
   * serve (nor keep) what they read: ChangeCache bypasses itself.
   */
  readonly live: boolean;
  /** Calls fn with every change, local or remote; returns the unsubscribe function. */
  subscribe(fn: ChangeListener): () => void;
  /** Tells this instance's subscribers at once, then the other instances. Call it after the write commits. */
  publish(notice: ChangeNotice): void;
  /** Resolves once every change published so far has been handed to the database for the other instances. */
  flush(): Promise<void>;
  /**
   * For a write that tells the other instances itself, in its own transaction (one round trip fewer): what it must
   * NOTIFY, or undefined when it cannot or there is nobody to tell (publish after the commit instead). Exactly one
   * of `committed` and `abandoned` is then called.
   */
  carry(notices: ChangeNotice[]): CarriedNotice | undefined;
  close(): Promise<void>;
}

export interface CarriedNotice {
  /** The write runs `pg_notify(channel, payload)`, and reads who listens: application names with listenerPrefix. */
  channel: string;
  payload: string;
  listenerPrefix: string;
  /** The write committed; `listeners` (names after the prefix) listened when it did. Tells this instance too. */
  committed(listeners: string[]): void;
  /** The write did not commit, so nothing was sent; the caller publishes the notices itself if it writes later. */
  abandoned(): void;
}

export const CHANNEL = 'iterlab_changes';

/** Subscribers are isolated from each other: one that throws does not stop the rest hearing. */
class Subscribers {
  private readonly listeners = new Set<ChangeListener>();

  add(fn: ChangeListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  dispatch(notice: ChangeNotice | null, log?: BusLogger): void {
    for (const fn of this.listeners) {
      try {
        fn(notice);
      } catch (err) {
        log?.warn({ err }, 'a change subscriber failed');
      }
    }
  }
}

/** One process (SQLite, or tests): every change is local, and the bus is always live. */
export class LocalChangeBus implements ChangeBus {
  readonly live = true;
  private readonly subscribers = new Subscribers();

  subscribe(fn: ChangeListener): () => void {
    return this.subscribers.add(fn);
  }

  publish(notice: ChangeNotice): void {
    this.subscribers.dispatch(notice);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  carry(): undefined {
    return undefined;
  }

  async close(): Promise<void> {}
}

/** The bus for this store: LISTEN/NOTIFY on PostgreSQL (start-up fails if it cannot LISTEN), local on SQLite. */
export async function openChangeBus(store: Store, log: BusLogger): Promise<ChangeBus> {
  if (store.kind !== 'postgres') return new LocalChangeBus();
  return PgChangeBus.start(store.connectionUrl, {
    log,
    notifyFallback: async (channel, payload) => {
      await sql`select pg_notify(${channel}, ${payload})`.execute(store.db);
    },
  });
}

export interface PgChangeBusOptions {
  log: BusLogger;
  /** Sends a NOTIFY through another connection (the store's pool) when the dedicated one is down. */
  notifyFallback: (channel: string, payload: string) => Promise<void>;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** A half-open connection shows no error by itself: a query this often proves the LISTEN connection alive. */
  heartbeatMs?: number;
  /** How long a write waits for the other instances to confirm they emptied their caches. */
  ackTimeoutMs?: number;
}

/** Listening instances name their LISTEN session this, followed by their id; the name is set only once LISTENing. */
const LISTENER_NAME = 'iterlab-changes:';

/** Who listens now: the ids after LISTENER_NAME of the sessions that bear it ($1 is LISTENER_NAME). */
const LISTENERS = `array(select substr(application_name, ${LISTENER_NAME.length + 1}) from pg_stat_activity
   where datname = current_database() and starts_with(application_name, $1))`;

interface AckWait {
  acked: Set<string>;
  expected: string[] | undefined;
  resolve: () => void;
}

/**
 * A query on a bus's dedicated connection, after those sent on it before. Notices, acknowledgements and heartbeats
 * overlap there; pg queues a query sent while another runs, but deprecates doing so (pg@9 will refuse it).
 */
const turns = new WeakMap<pg.Client, Promise<unknown>>();
function inTurn<R extends pg.QueryResultRow = pg.QueryResultRow>(client: pg.Client, query: pg.QueryConfig): Promise<pg.QueryResult<R>> {
  const run = (turns.get(client) ?? Promise.resolve()).then(() => client.query<R>(query));
  turns.set(client, run.catch(() => {}));
  return run;
}

/**
 * Several instances on one PostgreSQL. Each holds one dedicated connection that LISTENs on iterlab_changes and
 * carries its own NOTIFYs (so a busy pool does not delay them).
 *
 * Read-your-writes across instances: a publisher learns from pg_stat_activity which instances are listening
 * (in the same statement as its NOTIFY), and each of them, having emptied its caches, acknowledges on the
 * publisher's own channel. flush() (which a write's response awaits) resolves once all have acknowledged, or
 * after ackTimeoutMs with a warning naming the silent ones. So a client that is told "done" by A and turns to B
 * finds B's caches already emptied.
 *
 * When the connection drops, the bus is deaf: `live` turns false and subscribers hear null (empty everything);
 * it reconnects with backoff, and once it LISTENs again subscribers hear null once more (whatever changed while
 * deaf) and `live` turns true.
 *
 * An instance alone sends no NOTIFY at all: nobody would hear it but itself (bench/README.md, 41). It knows it is
 * alone because every instance, each time it starts listening, says hello (a NOTIFY with no changes) and turns
 * `live` only once every instance then listening has acknowledged it; an instance that hears a hello counts the
 * sender among the others before it acknowledges. So whoever could serve from a cache is known to every writer
 * before it caches anything: a write that a writer left untold committed before the writer heard the hello, so
 * before the new instance turned live, which empties its caches (nothing read before is kept). The hello's own read
 * of pg_stat_activity tells the new instance who was there before it. Whether to tell is decided after the commit
 * (publish), or before the write only to carry the notice in it (carry): a write that did not carry its notice
 * publishes it after its commit. An instance leaving says goodbye; one gone
 * without a word (killed) is dropped at the next heartbeat that does not find it in pg_stat_activity, and one found
 * there that never said hello (an older version) is counted from then on.
 */
export class PgChangeBus implements ChangeBus {
  /** Lets an instance skip its own notifications (already dispatched locally) and receive acknowledgements. */
  readonly instanceId = crypto.randomBytes(8).toString('hex');
  private readonly ackChannel = `iterlab_ack_${this.instanceId}`;
  private readonly subscribers = new Subscribers();
  private readonly pending = new Set<Promise<void>>();
  /** Changes published while a NOTIFY was on its way, sent together next; `sent` settles their flush(). */
  private outbox: { notices: Map<string, ChangeNotice>; sent: () => void } | undefined;
  private pumping = false;
  private readonly ackWaits = new Map<number, AckWait>();
  private sequence = 0;
  /**
   * The other instances that listen, each with the count of instances heard of when it was last heard of: a
   * heartbeat drops one it does not find only if nothing was heard of it since the heartbeat's read began.
   */
  private readonly others = new Map<string, number>();
  private heardOf = 0;
  private client: pg.Client | undefined;
  private listening = false;
  private closed = false;
  private attempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  /** Times the LISTEN connection was lost (a metric). */
  drops = 0;
  /** Writes that went on without every listening instance's acknowledgement (a metric). */
  ackTimeouts = 0;

  private constructor(
    private readonly url: string,
    private readonly options: PgChangeBusOptions,
  ) {}

  /** Connects and LISTENs; start-up fails if that fails (the store is then unreachable anyway). */
  static async start(url: string, options: PgChangeBusOptions): Promise<PgChangeBus> {
    const bus = new PgChangeBus(url, options);
    await bus.connect();
    return bus;
  }

  get live(): boolean {
    return this.listening;
  }

  /** The PostgreSQL backend pid of the LISTEN connection (diagnostics, and tests that cut it). */
  get listenerPid(): number | undefined {
    return this.listening ? (this.client as unknown as { processID?: number } | undefined)?.processID : undefined;
  }

  subscribe(fn: ChangeListener): () => void {
    return this.subscribers.add(fn);
  }

  /** Listening, and no other instance does: nobody needs a NOTIFY. */
  private get alone(): boolean {
    return this.listening && this.others.size === 0;
  }

  /** The other instances this one knows to listen (tests). */
  get otherInstances(): string[] {
    return [...this.others.keys()];
  }

  publish(notice: ChangeNotice): void {
    this.subscribers.dispatch(notice, this.options.log);
    if (!this.outbox) {
      let resolve!: () => void;
      const sent = new Promise<void>((r) => (resolve = r)).finally(() => this.pending.delete(sent));
      this.pending.add(sent);
      this.outbox = { notices: new Map(), sent: resolve };
    }
    // Several writes to one experiment say the same thing; one copy of it reaches the others.
    this.outbox.notices.set(JSON.stringify(notice), notice);
    if (!this.pumping) void this.pump();
  }

  /**
   * Sends the outbox, then whatever gathered in it meanwhile, one NOTIFY each, until it stays empty. A NOTIFY
   * is a commit PostgreSQL makes durable, on one connection: one per write made that connection the writes'
   * bottleneck under load, while one per batch costs the same whatever the batch holds.
   */
  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      // The writes a transaction acknowledged together publish one after another in the same turn: they share the
      // first NOTIFY instead of the first going alone.
      await Promise.resolve();
      while (this.outbox) {
        const batch = this.outbox;
        this.outbox = undefined;
        // Decided now, after the writes committed: an instance not heard of yet reads them once it is live.
        const toTell = this.alone ? [] : payloadSized([...batch.notices.values()]);
        for (const changes of toTell) {
          await this.send(changes).catch((err) =>
            this.options.log.warn({ err, changes }, 'could not tell the other instances of a change; their caches may serve it stale until their next reconnect'),
          );
        }
        batch.sent();
      }
    } finally {
      this.pumping = false;
    }
  }

  flush(): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    return Promise.all(this.pending).then(() => undefined);
  }

  carry(notices: ChangeNotice[]): CarriedNotice | undefined {
    // Alone, the write carries nothing and publishes after its commit, which then tells nobody unless an instance
    // said hello meanwhile.
    if (!this.listening || this.alone) return undefined;
    const { seq, payload, wait, done } = this.awaitAcks(notices);
    return {
      channel: CHANNEL,
      payload,
      listenerPrefix: LISTENER_NAME,
      committed: (listeners) => {
        for (const notice of notices) this.subscribers.dispatch(notice, this.options.log);
        this.listenedBy(seq, wait, listeners);
        // Only now is it published: flush() waits for its acknowledgements, not for a write still on its way.
        const acknowledged: Promise<void> = this.acknowledged(seq, done).then(() => {
          this.pending.delete(acknowledged);
        });
        this.pending.add(acknowledged);
      },
      abandoned: () => {
        this.ackWaits.delete(seq);
      },
    };
  }

  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    const listening = this.listening;
    this.client = undefined;
    this.listening = false;
    // Goodbye: the others stop telling this instance (no acknowledgement is awaited: it reads nothing any more).
    if (client && listening) {
      await inTurn(client, { text: 'select pg_notify($1, $2)', values: [CHANNEL, JSON.stringify({ changes: [], from: this.instanceId, bye: true })] }).catch(() => {});
    }
    await client?.end().catch(() => {});
  }

  /**
   * A new NOTIFY's payload, with its wait for acknowledgements registered before it is sent: one may arrive (on the
   * LISTEN connection) before the NOTIFY's own answer does. `wait.expected` is set once the listeners are known.
   */
  private awaitAcks(changes: ChangeNotice[], hello = false): { seq: number; payload: string; wait: AckWait; done: Promise<void> } {
    const seq = ++this.sequence;
    const wait: AckWait = { acked: new Set(), expected: undefined, resolve: () => {} };
    const done = new Promise<void>((resolve) => (wait.resolve = resolve));
    this.ackWaits.set(seq, wait);
    return { seq, payload: JSON.stringify({ changes, from: this.instanceId, seq, ...(hello ? { hello: true } : {}) }), wait, done };
  }

  private async send(changes: ChangeNotice[]): Promise<void> {
    const { seq, payload, wait, done } = this.awaitAcks(changes);
    const client = this.client;
    if (client && this.listening) {
      try {
        // Named, so the connection parses and plans it once: parsing and planning the pg_stat_activity view cost
        // PostgreSQL ~0.6 ms of a ~0.8 ms notify, on every write (log_min_duration_statement=0).
        const result = await this.notifyAndListeners(client, payload);
        this.listenedBy(seq, wait, result.rows[0].listeners);
        await this.acknowledged(seq, done);
        return;
      } catch {
        // the dedicated connection just failed; the pool may still reach the database (without acknowledgements)
      }
    }
    this.ackWaits.delete(seq);
    await this.options.notifyFallback(CHANNEL, payload);
  }

  private notifyAndListeners(client: pg.Client, payload: string): Promise<pg.QueryResult<{ listeners: string[] }>> {
    return inTurn<{ listeners: string[] }>(client, {
      name: 'iterlab-notify',
      text: `select pg_notify($2, $3), ${LISTENERS} as listeners`,
      values: [LISTENER_NAME, CHANNEL, payload],
    });
  }

  /**
   * Hello: tells the instances listening that this one does, and learns who they are. True once all of them have
   * acknowledged (so each counts this one among its others), false when one did not in time or the NOTIFY failed.
   */
  private async hello(client: pg.Client): Promise<boolean> {
    const { seq, payload, wait, done } = this.awaitAcks([], true);
    try {
      const result = await this.notifyAndListeners(client, payload);
      this.found(result.rows[0].listeners);
      this.listenedBy(seq, wait, result.rows[0].listeners);
    } catch {
      this.ackWaits.delete(seq);
      return false;
    }
    return this.acknowledged(seq, done);
  }

  /**
   * After a hello that not every instance acknowledged: says hello again until all do, staying deaf (its caches
   * bypassed) meanwhile.
   */
  private async announce(client: pg.Client): Promise<void> {
    while (!this.closed && client === this.client) {
      this.options.log.warn({}, 'an instance did not acknowledge this one in time; caches stay bypassed until all do');
      await new Promise((resolve) => setTimeout(resolve, this.options.minBackoffMs ?? 100).unref());
      if (client === this.client && (await this.hello(client))) return this.goLive(client);
    }
  }

  /** Instances found listening in pg_stat_activity: those not known yet are counted from now on. */
  private found(listeners: string[]): void {
    for (const id of listeners) if (id !== this.instanceId && !this.others.has(id)) this.others.set(id, ++this.heardOf);
  }

  /** The NOTIFY seq committed while `listeners` listened: it waits for the others' acknowledgements. */
  private listenedBy(seq: number, wait: AckWait, listeners: string[]): void {
    wait.expected = listeners.filter((id) => id !== this.instanceId);
    this.checkAcks(seq);
  }

  /** Resolves true once every expected instance acknowledged seq, false after ackTimeoutMs (with a warning). */
  private async acknowledged(seq: number, done: Promise<void>): Promise<boolean> {
    const timeoutMs = this.options.ackTimeoutMs ?? 1_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    const late = await Promise.race([done.then(() => false), timedOut]);
    clearTimeout(timer);
    const wait = this.ackWaits.get(seq);
    this.ackWaits.delete(seq);
    if (late && wait) {
      this.ackTimeouts += 1;
      const silent = (wait.expected ?? []).filter((id) => !wait.acked.has(id));
      this.options.log.warn({ silent, timeoutMs }, 'instances did not confirm a change in time; they may serve it stale until they notice or reconnect');
    }
    return !late;
  }

  private checkAcks(seq: number): void {
    const wait = this.ackWaits.get(seq);
    if (wait?.expected && wait.expected.every((id) => wait.acked.has(id))) wait.resolve();
  }

  private async connect(): Promise<void> {
    const client = new (pgModule().Client)({ connectionString: this.url, application_name: 'iterlab-changes-connecting', keepAlive: true });
    client.on('error', (err) => this.dropped(client, err));
    client.on('end', () => this.dropped(client, undefined));
    client.on('notification', (message) => {
      if (client !== this.client) return;
      if (message.channel === CHANNEL) this.received(client, message.payload ?? '');
      else if (message.channel === this.ackChannel) this.ackReceived(message.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      await client.query(`LISTEN ${this.ackChannel}`);
      // Only now does this instance count as listening, for publishers that wait for acknowledgements.
      await client.query(`SET application_name = '${LISTENER_NAME}${this.instanceId}'`);
    } catch (err) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.attempts = 0;
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => this.heartbeat(client), this.options.heartbeatMs ?? 5_000);
    this.heartbeatTimer.unref();
    // Live once every instance listening knows of this one; start-up waits for the first hello only.
    if (await this.hello(client)) this.goLive(client);
    else void this.announce(client);
  }

  /**
   * Whatever changed while nobody listened is unknown, and so is what a read begun before now saw (a write left
   * untold by an instance that had not heard the hello yet): caches drop everything, and what is being read, before
   * they serve again.
   */
  private goLive(client: pg.Client): void {
    if (client !== this.client || this.closed) return;
    this.subscribers.dispatch(null, this.options.log);
    this.listening = true;
  }

  private heartbeat(client: pg.Client): void {
    const timeoutMs = this.options.heartbeatMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer to the heartbeat within ${timeoutMs} ms`)), timeoutMs);
    });
    // The heartbeat's query also reads who listens: an instance gone without goodbye is dropped from the others
    // unless it was heard of since the read began (a hello after its reconnect), and one never heard of is added.
    const mark = this.heardOf;
    const read = inTurn<{ listeners: string[] }>(client, { name: 'iterlab-listeners', text: `select ${LISTENERS} as listeners`, values: [LISTENER_NAME] });
    Promise.race([read, timeout])
      .then(({ rows }) => {
        if (client !== this.client) return;
        const listening = new Set(rows[0].listeners);
        for (const [id, heard] of this.others) if (!listening.has(id) && heard <= mark) this.others.delete(id);
        this.found(rows[0].listeners);
      })
      .catch((err) => {
        this.dropped(client, err as Error);
        client.end().catch(() => {});
      })
      .finally(() => clearTimeout(timer));
  }

  private received(client: pg.Client, payload: string): void {
    let message: { changes?: unknown; from?: unknown; seq?: unknown } | undefined;
    try {
      message = JSON.parse(payload) as { changes?: unknown; from?: unknown; seq?: unknown };
    } catch {
      // not ours to read
    }
    // Before notices were batched, an instance sent one notice per NOTIFY with `from` and `seq` beside its fields;
    // such an instance may still run during a rolling upgrade.
    if (message && !('changes' in message) && typeof (message as { kind?: unknown }).kind === 'string') {
      const { from, seq, ...change } = message as Record<string, unknown>;
      message = { changes: [change], from, seq };
    }
    if (!message || !Array.isArray(message.changes)) {
      this.options.log.warn({ payload: payload.slice(0, 200) }, 'ignored a malformed change notification');
      return;
    }
    const { changes, from, seq } = message;
    if (from === this.instanceId) return;
    const sender = typeof from === 'string' && /^[0-9a-f]{16}$/.test(from) ? from : undefined;
    // Counted among the others before the hello is acknowledged: from then on this instance tells it every change.
    if (sender && (message as { hello?: unknown }).hello === true) this.others.set(sender, ++this.heardOf);
    else if (sender && (message as { bye?: unknown }).bye === true) this.others.delete(sender);
    for (const change of changes as ChangeNotice[]) this.subscribers.dispatch(change, this.options.log);
    if (sender && typeof seq === 'number') {
      inTurn(client, { text: 'select pg_notify($1, $2)', values: [`iterlab_ack_${sender}`, `${seq} ${this.instanceId}`] }).catch(() => {});
    }
  }

  private ackReceived(payload: string): void {
    const [seq, from] = payload.split(' ');
    const wait = this.ackWaits.get(Number(seq));
    if (!wait || !from) return;
    wait.acked.add(from);
    this.checkAcks(Number(seq));
  }

  private dropped(client: pg.Client, err: Error | undefined): void {
    if (client !== this.client) return;
    this.client = undefined;
    this.listening = false;
    this.drops += 1;
    clearInterval(this.heartbeatTimer);
    this.subscribers.dispatch(null, this.options.log);
    // Acknowledgements can no longer arrive; the writes waiting for them go on.
    for (const wait of this.ackWaits.values()) wait.resolve();
    if (this.closed) return;
    this.options.log.warn({ err }, 'lost the change-notification connection; caches are bypassed until it is back');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const min = this.options.minBackoffMs ?? 100;
    const max = this.options.maxBackoffMs ?? 5_000;
    const delay = Math.min(max, min * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.attempts += 1;
    this.reconnectTimer = setTimeout(() => {
      this.connect()
        .then(() => {
          if (this.listening) this.options.log.info({}, 'change-notification connection is back; caches serve again');
        })
        .catch((err) => {
          if (this.closed) return;
          this.options.log.warn({ err, attempt: this.attempts }, 'could not re-establish the change-notification connection; retrying');
          this.scheduleReconnect();
        });
    }, delay);
    this.reconnectTimer.unref();
  }
}

/** PostgreSQL refuses a NOTIFY payload of 8,000 bytes or more; room is left for the sender's id and sequence. */
const MAX_CHANGES_BYTES = 7_500;

/** Splits changes into lists whose JSON each fits one NOTIFY payload. */
export function payloadSized(changes: ChangeNotice[]): ChangeNotice[][] {
  const lists: ChangeNotice[][] = [];
  let list: ChangeNotice[] = [];
  let bytes = 0;
  for (const change of changes) {
    const size = Buffer.byteLength(JSON.stringify(change)) + 1;
    if (list.length > 0 && bytes + size > MAX_CHANGES_BYTES) {
      lists.push(list);
      list = [];
      bytes = 0;
    }
    list.push(change);
    bytes += size;
  }
  if (list.length > 0) lists.push(list);
  return lists;
}

export interface ChangeCacheOptions {
  /** Which changes empty this cache (it is emptied whole: changes are rare, reads are many). */
  affectedBy: (notice: ChangeNotice) => boolean;
  maxEntries?: number;
  /**
   * Safety net for the one case the bus cannot cover: an instance that dies between its commit and its
   * NOTIFY. Entries older than this are read again.
   */
  maxAgeMs?: number;
}

/**
 * An in-memory cache that stays correct across instances: it empties on every change that affects it, serves
 * nothing while the bus is deaf, and never stores a value whose read raced with a change (a generation check).
 */
export class ChangeCache<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  private generation = 0;
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;

  constructor(
    private readonly bus: ChangeBus,
    private readonly options: ChangeCacheOptions,
  ) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.maxAgeMs = options.maxAgeMs ?? 60_000;
    bus.subscribe((notice) => {
      if (notice === null || options.affectedBy(notice)) this.clear();
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value of key, without loading it: undefined on a miss (a hot path's synchronous look first). */
  peek(key: string): { value: V } | undefined {
    if (!this.bus.live) return undefined;
    const hit = this.entries.get(key);
    return hit && Date.now() - hit.at < this.maxAgeMs ? hit : undefined;
  }

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.peek(key);
    if (hit) return hit.value;
    const generation = this.generation;
    const at = Date.now();
    const value = await load();
    if (this.bus.live && generation === this.generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, { value, at });
    }
    return value;
  }

  clear(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
