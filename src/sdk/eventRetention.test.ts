// EVENTS_RETENTION_DAYS: events received before the retention window are deleted, in batches, and the payload ids
// that guard against retries after a day; with 0 days events are kept. Both databases.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';
import { EventRetention } from './eventRetention.js';

const DAY = 24 * 60 * 60 * 1000;
const quiet = { info() {}, warn() {} };

describe('SDK event retention', () => {
  let s: TestServer;
  let w: World;
  let clock: number;
  let key: string;
  const post = (events: unknown[], payloadId?: string) =>
    s.request('POST', '/bulk', { body: events, token: key, headers: payloadId ? { 'x-launchdarkly-payload-id': payloadId } : {} });
  const count = async (table: 'sdk_events' | 'sdk_event_payloads') =>
    Number((await s.store.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  beforeEach(async () => {
    clock = Date.now();
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
    key = await sdkKeyOf(s, w.project);
  });
  afterEach(() => s.close());

  it('deletes the events received before the window, more than one batch of them, and keeps the rest', async () => {
    const old = Array.from({ length: 6_000 }, (_, i) => ({ kind: 'custom', key: 'checkout', creationDate: clock, context: { kind: 'user', key: `u${i}` } }));
    expect((await post(old, 'old-payload')).status).toBe(202);
    clock += 20 * DAY;
    expect((await post([{ kind: 'custom', key: 'checkout', creationDate: clock, context: { kind: 'user', key: 'new' } }], 'new-payload')).status).toBe(202);
    clock += 11 * DAY;
    const deleted = await new EventRetention(s.store, 30, () => clock, quiet).run();
    expect(deleted).toEqual({ events: 6_000, payloadIds: 2 });
    expect(await count('sdk_events')).toBe(1);
    const left = await s.store.db.selectFrom('sdk_events').select('context_keys').executeTakeFirstOrThrow();
    expect(JSON.parse(left.context_keys!)).toEqual({ user: 'new' });
    // Nothing more is due: a second run deletes nothing.
    expect(await new EventRetention(s.store, 30, () => clock, quiet).run()).toEqual({ events: 0, payloadIds: 0 });
  });

  it('with 0 days events stay; payload ids go after a day, so a retry within it is still stored once', async () => {
    const event = [{ kind: 'custom', key: 'checkout', creationDate: clock, context: { kind: 'user', key: 'u' } }];
    expect((await post(event, 'p1')).status).toBe(202);
    clock += DAY / 2;
    const retention = new EventRetention(s.store, 0, () => clock, quiet);
    expect(await retention.run()).toEqual({ events: 0, payloadIds: 0 });
    expect((await post(event, 'p1')).status).toBe(202);
    expect(await count('sdk_events')).toBe(1);
    clock += DAY;
    expect(await retention.run()).toEqual({ events: 0, payloadIds: 1 });
    expect(await count('sdk_events')).toBe(1);
    expect(await count('sdk_event_payloads')).toBe(0);
  });

  it('EVENTS_RETENTION_DAYS is a whole number of days, 0 (the default: keep) or more', () => {
    expect(loadConfig({}).eventsRetentionDays).toBe(0);
    expect(loadConfig({ EVENTS_RETENTION_DAYS: '90' }).eventsRetentionDays).toBe(90);
    expect(() => loadConfig({ EVENTS_RETENTION_DAYS: '-1' })).toThrow(/EVENTS_RETENTION_DAYS must be a whole number/);
    expect(() => loadConfig({ EVENTS_RETENTION_DAYS: 'a week' })).toThrow(/EVENTS_RETENTION_DAYS/);
  });
});
