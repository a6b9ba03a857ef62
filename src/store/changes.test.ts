// ChangeCache against a bus the test controls; PgChangeBus between two "instances" on one PostgreSQL database.
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChangeNotice } from '../http/context.js';
import { freshDatabase, testDb, ADMIN_DATABASE_URL, type FreshDatabase } from '../../test/support/db.js';
import { ChangeCache, PgChangeBus, payloadSized, type CarriedNotice, type ChangeBus, type ChangeListener } from './changes.js';

class FakeBus implements ChangeBus {
  live = true;
  private readonly listeners: ChangeListener[] = [];
  subscribe(fn: ChangeListener) {
    this.listeners.push(fn);
    return () => {};
  }
  publish(notice: ChangeNotice) {
    this.emit(notice);
  }
  emit(notice: ChangeNotice | null) {
    for (const fn of this.listeners) fn(notice);
  }
  flush() {
    return Promise.resolve();
  }
  carry() {
    return undefined;
  }
  async close() {}
}

const tokensOnly = { affectedBy: (n: ChangeNotice) => n.kind === 'token' };

describe('ChangeCache', () => {
  it('serves a cached value until a change that affects it', async () => {
    const bus = new FakeBus();
    const cache = new ChangeCache<number>(bus, tokensOnly);
    let reads = 0;
    const load = async () => ++reads;
    expect(await cache.get('k', load)).toBe(1);
    expect(await cache.get('k', load)).toBe(1);
    bus.emit({ kind: 'project' });
    expect(await cache.get('k', load)).toBe(1);
    bus.emit({ kind: 'token', id: 'x' });
    expect(await cache.get('k', load)).toBe(2);
    bus.emit(null);
    expect(await cache.get('k', load)).toBe(3);
  });

  it('neither serves nor keeps anything while the bus is deaf', async () => {
    const bus = new FakeBus();
    const cache = new ChangeCache<number>(bus, tokensOnly);
    let reads = 0;
    const load = async () => ++reads;
    await cache.get('k', load);
    bus.live = false;
    expect(await cache.get('k', load)).toBe(2);
    expect(await cache.get('k', load)).toBe(3);
    expect(cache.size).toBe(1);
    bus.emit(null);
    bus.live = true;
    expect(await cache.get('k', load)).toBe(4);
    expect(await cache.get('k', load)).toBe(4);
  });

  it('does not store a read that raced with a change (it may predate the change)', async () => {
    const bus = new FakeBus();
    const cache = new ChangeCache<string>(bus, tokensOnly);
    let release!: () => void;
    const slow = cache.get('k', () => new Promise<string>((resolve) => (release = () => resolve('before the change'))));
    bus.emit({ kind: 'token' });
    release();
    expect(await slow).toBe('before the change');
    expect(await cache.get('k', async () => 'after the change')).toBe('after the change');
  });

  it('reads again an entry older than maxAgeMs (the safety net for a lost notification)', async () => {
    vi.useFakeTimers({ now: 1_000_000, toFake: ['Date'] });
    try {
      const bus = new FakeBus();
      const cache = new ChangeCache<number>(bus, { ...tokensOnly, maxAgeMs: 1000 });
      let reads = 0;
      const load = async () => ++reads;
      await cache.get('k', load);
      vi.setSystemTime(1_000_999);
      expect(await cache.get('k', load)).toBe(1);
      vi.setSystemTime(1_001_000);
      expect(await cache.get('k', load)).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

const silent = { info: () => {}, warn: () => {} };

describe('payloadSized', () => {
  it('keeps changes in order, in lists whose JSON fits one NOTIFY payload (under 8,000 bytes with the envelope)', () => {
    const changes: ChangeNotice[] = Array.from({ length: 300 }, (_, i) => ({ kind: 'experiment', projectId: `p${i}`, id: 'x'.repeat(40) }));
    const lists = payloadSized(changes);
    expect(lists.length).toBeGreaterThan(1);
    expect(lists.flat()).toEqual(changes);
    for (const list of lists) {
      const payload = JSON.stringify({ changes: list, from: '0123456789abcdef', seq: Number.MAX_SAFE_INTEGER });
      expect(Buffer.byteLength(payload)).toBeLessThan(8000);
    }
    expect(payloadSized([{ kind: 'project' }])).toEqual([[{ kind: 'project' }]]);
    expect(payloadSized([])).toEqual([]);
  });
});

describe.skipIf(testDb !== 'postgres')('PgChangeBus on PostgreSQL', () => {
  const opened: PgChangeBus[] = [];
  let database: FreshDatabase | undefined;

  afterEach(async () => {
    for (const bus of opened.splice(0)) await bus.close();
    await database?.drop();
    database = undefined;
  });

  type BusOptions = { minBackoffMs?: number; heartbeatMs?: number };

  /** An instance's bus on the test's database (made on the first call). */
  async function openBus(options: BusOptions = {}): Promise<PgChangeBus> {
    database ??= await freshDatabase('postgres');
    const url = database.url;
    const fallback = async (channel: string, payload: string) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query('select pg_notify($1, $2)', [channel, payload]).finally(() => client.end());
    };
    const bus = await PgChangeBus.start(url, { log: silent, notifyFallback: fallback, ...options });
    opened.push(bus);
    return bus;
  }

  async function busPair(options: BusOptions = {}, optionsB: BusOptions = options) {
    const a = await openBus(options);
    const b = await openBus(optionsB);
    const heard = { a: [] as (ChangeNotice | null)[], b: [] as (ChangeNotice | null)[] };
    a.subscribe((n) => heard.a.push(n));
    b.subscribe((n) => heard.b.push(n));
    return { a, b, heard };
  }

  /** The payloads bus's own connection sends on iterlab_changes from now on. */
  function notifiesOf(bus: PgChangeBus): string[] {
    const sent: string[] = [];
    const client = (bus as unknown as { client: pg.Client }).client;
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      // query(text, values) or query({ name, text, values }) (the notify is a named statement)
      const values = (typeof args[0] === 'object' && args[0] !== null ? (args[0] as { values?: unknown[] }).values : args[1]) as unknown[] | undefined;
      if (values?.includes('iterlab_changes')) sent.push(String(values[values.indexOf('iterlab_changes') + 1]));
      return query(...args);
    };
    return sent;
  }

  async function terminate(pid: number) {
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [pid]).finally(() => admin.end());
  }

  it('delivers a change to the other instance once, and to the publisher once (locally)', async () => {
    const { a, heard } = await busPair();
    a.publish({ kind: 'token', id: 't1' });
    await a.flush();
    await vi.waitFor(() => expect(heard.b).toEqual([{ kind: 'token', id: 't1' }]));
    // the publisher's own NOTIFY comes back to it and is skipped
    await new Promise((r) => setTimeout(r, 50));
    expect(heard.a).toEqual([{ kind: 'token', id: 't1' }]);
  });

  it('sends the changes published in one turn, or while a NOTIFY is on its way, together, each once; flush waits for all', async () => {
    const { a, b, heard } = await busPair();
    const sent = notifiesOf(a);
    // One turn (the writes one transaction acknowledged): one NOTIFY.
    a.publish({ kind: 'experiment', projectId: 'p', id: 'e1' });
    a.publish({ kind: 'experiment', projectId: 'p', id: 'e2' });
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    // While that NOTIFY is on its way: the next one, e1 once.
    a.publish({ kind: 'experiment', projectId: 'p', id: 'e1' });
    a.publish({ kind: 'flag', projectId: 'p', id: 'f' });
    a.publish({ kind: 'experiment', projectId: 'p', id: 'e1' });
    await a.flush();
    expect(sent.map((payload) => (JSON.parse(payload) as { changes: ChangeNotice[] }).changes)).toEqual([
      [
        { kind: 'experiment', projectId: 'p', id: 'e1' },
        { kind: 'experiment', projectId: 'p', id: 'e2' },
      ],
      [
        { kind: 'experiment', projectId: 'p', id: 'e1' },
        { kind: 'flag', projectId: 'p', id: 'f' },
      ],
    ]);
    // flush resolved only after b acknowledged both: b has heard everything already
    expect(heard.b).toEqual([
      { kind: 'experiment', projectId: 'p', id: 'e1' },
      { kind: 'experiment', projectId: 'p', id: 'e2' },
      { kind: 'experiment', projectId: 'p', id: 'e1' },
      { kind: 'flag', projectId: 'p', id: 'f' },
    ]);
    expect(b.live).toBe(true);
    // every change reached a's own subscribers at once, duplicates included
    expect(heard.a).toHaveLength(5);
  });

  it('ignores a notification that is not a list of changes, and goes on hearing', async () => {
    const { a, b, heard } = await busPair();
    const other = new pg.Client({ connectionString: database!.url });
    await other.connect();
    await other.query(`select pg_notify('iterlab_changes', 'not json'), pg_notify('iterlab_changes', '{"changes":"project"}')`).finally(() => other.end());
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.a).toEqual([]);
    b.publish({ kind: 'project' });
    await b.flush();
    expect(heard.a).toEqual([{ kind: 'project' }]);
  });

  it('hears an instance from before batching (one notice per NOTIFY, from and seq beside it) and acknowledges it', async () => {
    const { a, b, heard } = await busPair();
    const old = new pg.Client({ connectionString: database!.url });
    await old.connect();
    try {
      await old.query('LISTEN iterlab_ack_00000000000000aa');
      const acks: string[] = [];
      old.on('notification', (message) => acks.push(message.payload ?? ''));
      await old.query(`select pg_notify('iterlab_changes', $1)`, [JSON.stringify({ kind: 'token', id: 't9', from: '00000000000000aa', seq: 7 })]);
      await vi.waitFor(() => expect(acks.sort()).toEqual([`7 ${a.instanceId}`, `7 ${b.instanceId}`].sort()));
      expect(heard.a).toEqual([{ kind: 'token', id: 't9' }]);
      expect(heard.b).toEqual([{ kind: 'token', id: 't9' }]);
    } finally {
      await old.end();
    }
  });

  it('when the LISTEN connection drops: deaf at once (subscribers hear null), back after reconnecting (null again)', async () => {
    const { a, b, heard } = await busPair({ minBackoffMs: 300 });
    await terminate(b.listenerPid!);
    await vi.waitFor(() => expect(b.live).toBe(false));
    expect(heard.b).toEqual([null]);
    // a change made while b is deaf is not heard by b, so b must not have served from cache meanwhile
    a.publish({ kind: 'token', id: 'while-deaf' });
    await a.flush();
    await vi.waitFor(() => expect(b.live).toBe(true), { timeout: 5000 });
    expect(heard.b).toEqual([null, null]);
    expect(b.drops).toBe(1);
    a.publish({ kind: 'project' });
    await vi.waitFor(() => expect(heard.b).toEqual([null, null, { kind: 'project' }]));
  });

  /** Runs a write's transaction on a connection of its own that NOTIFYs what carried says, reading who listens. */
  async function writeCarrying(carried: CarriedNotice, commit: boolean): Promise<string[]> {
    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    try {
      await client.query('begin');
      await client.query('select pg_notify($1, $2)', [carried.channel, carried.payload]);
      const { rows } = await client.query<{ listeners: string[] }>(
        `select array(select substr(application_name, length($1) + 1) from pg_stat_activity where datname = current_database() and starts_with(application_name, $1)) as listeners`,
        [carried.listenerPrefix],
      );
      await client.query(commit ? 'commit' : 'rollback');
      return rows[0].listeners;
    } finally {
      await client.end();
    }
  }

  it('a notice a write carries reaches the others when the write commits; flush then waits for their acknowledgements', async () => {
    const { a, b, heard } = await busPair();
    const notice: ChangeNotice = { kind: 'experiment', projectId: 'p', id: 'e', part: 'draft' };
    const carried = a.carry([notice])!;
    // Not published before its write commits: flush does not wait for it, and nobody has heard it.
    await a.flush();
    expect(heard).toEqual({ a: [], b: [] });
    const listeners = await writeCarrying(carried, true);
    expect(listeners.sort()).toEqual([a.instanceId, b.instanceId].sort());
    carried.committed(listeners);
    expect(heard.a).toEqual([notice]);
    await a.flush();
    // flush resolved only once b acknowledged: b has heard it, once
    expect(heard.b).toEqual([notice]);
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual({ a: [notice], b: [notice] });
  });

  it('a carried notice whose write rolls back reaches nobody', async () => {
    const { a, heard } = await busPair();
    const carried = a.carry([{ kind: 'flag', projectId: 'p', id: 'f' }])!;
    await writeCarrying(carried, false);
    carried.abandoned();
    await a.flush();
    await new Promise((r) => setTimeout(r, 50));
    expect(heard).toEqual({ a: [], b: [] });
  });

  it('carries nothing while deaf: the write publishes after its commit instead', async () => {
    const { a } = await busPair({ minBackoffMs: 2000 });
    await terminate(a.listenerPid!);
    await vi.waitFor(() => expect(a.live).toBe(false));
    expect(a.carry([{ kind: 'project' }])).toBeUndefined();
  });

  it('publishes through the fallback when its own connection is down', async () => {
    const { a, b, heard } = await busPair({ minBackoffMs: 2000 });
    await terminate(a.listenerPid!);
    await vi.waitFor(() => expect(a.live).toBe(false));
    a.publish({ kind: 'settings', projectId: 'p' });
    await a.flush();
    await vi.waitFor(() => expect(heard.b).toEqual([{ kind: 'settings', projectId: 'p' }]));
    expect(b.live).toBe(true);
  });

  it('alone, an instance sends no NOTIFY and carries none; its own subscribers still hear each change at once', async () => {
    const a = await openBus();
    const heard: (ChangeNotice | null)[] = [];
    a.subscribe((n) => heard.push(n));
    const sent = notifiesOf(a);
    expect(a.live).toBe(true);
    expect(a.otherInstances).toEqual([]);
    expect(a.carry([{ kind: 'project' }])).toBeUndefined();
    a.publish({ kind: 'token', id: 't1' });
    await a.flush();
    expect(heard).toEqual([{ kind: 'token', id: 't1' }]);
    expect(sent).toEqual([]);
  });

  it('a new instance says hello and is live only once the others count it: from then on each tells the other', async () => {
    const a = await openBus();
    const sent = notifiesOf(a);
    // b's start waited for a's acknowledgement, which a gives only once it counts b.
    const b = await openBus();
    expect(b.live).toBe(true);
    expect(a.otherInstances).toEqual([b.instanceId]);
    expect(b.otherInstances).toEqual([a.instanceId]);
    const heard: (ChangeNotice | null)[] = [];
    b.subscribe((n) => heard.push(n));
    a.publish({ kind: 'token', id: 't2' });
    await a.flush();
    expect(heard).toEqual([{ kind: 'token', id: 't2' }]);
    expect(sent).toHaveLength(1);
    const carried = a.carry([{ kind: 'project' }]);
    expect(carried).toBeDefined();
    carried!.abandoned();
  });

  it('an instance that closes says goodbye: the other is alone again and sends nothing', async () => {
    const { a, b } = await busPair();
    expect(a.otherInstances).toEqual([b.instanceId]);
    await b.close();
    await vi.waitFor(() => expect(a.otherInstances).toEqual([]));
    const sent = notifiesOf(a);
    a.publish({ kind: 'project' });
    await a.flush();
    expect(sent).toEqual([]);
    expect(a.carry([{ kind: 'project' }])).toBeUndefined();
  });

  it('a heartbeat drops an instance gone without goodbye, and counts one listening that never said hello (an older version)', async () => {
    const { a, b } = await busPair({ heartbeatMs: 100 }, { minBackoffMs: 60_000 });
    await terminate(b.listenerPid!);
    await vi.waitFor(() => expect(a.otherInstances).toEqual([]), { timeout: 3000 });

    const older = new pg.Client({ connectionString: database!.url });
    await older.connect();
    try {
      const heard: string[] = [];
      older.on('notification', (message) => heard.push(message.payload ?? ''));
      await older.query('LISTEN iterlab_changes');
      await older.query(`SET application_name = 'iterlab-changes:00000000000000bb'`);
      await vi.waitFor(() => expect(a.otherInstances).toEqual(['00000000000000bb']), { timeout: 3000 });
      a.publish({ kind: 'flag', projectId: 'p', id: 'f' });
      await vi.waitFor(() => expect(heard.map((payload) => (JSON.parse(payload) as { changes: ChangeNotice[] }).changes)).toEqual([[{ kind: 'flag', projectId: 'p', id: 'f' }]]));
    } finally {
      await older.end();
    }
  });
});
