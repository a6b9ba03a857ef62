// POST /bulk refused: a body that is not an array of events, or not the gzip it says it is, is a 400 naming the
// problem, and nothing of it is stored.
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld } from '../../test/support/fixtures.js';
import { sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('POST /bulk errors', () => {
  let s: TestServer;
  let key: string;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    key = await sdkKeyOf(s, (await createWorld(s)).project);
  });
  afterAll(() => s.close());

  const stored = async () => (await s.store.db.selectFrom('sdk_events').select('id').execute()).length;

  it('400 for a body that is not an array', async () => {
    const res = await s.post('/bulk', { kind: 'custom' }, { token: key });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_request', message: 'body: must be a JSON array of events' });
  });

  it('400 naming each event without a kind; none of the payload is stored', async () => {
    const res = await s.post('/bulk', [{ kind: 'custom', key: 'ok' }, { key: 'x' }, 'text', { kind: '' }], { token: key });
    expect(res.status).toBe(400);
    expect(res.body.message).toBe('body[1].kind: must be a non-empty string; body[2]: must be an event object; body[3].kind: must be a non-empty string');
    expect(await stored()).toBe(0);
  });

  it('413 over EVENTS_BODY_LIMIT_BYTES, inflated; the REST API\'s smaller BODY_LIMIT_BYTES does not apply', async () => {
    const small = await startServer({ listen: true, env: { BODY_LIMIT_BYTES: '2048', EVENTS_BODY_LIMIT_BYTES: '65536' } });
    try {
      const smallKey = await sdkKeyOf(small, (await createWorld(small)).project);
      const event = (i: number) => ({ kind: 'custom', key: `e${i}`, creationDate: i, context: { kind: 'user', key: 'u' } });
      const fits = Array.from({ length: 100 }, (_, i) => event(i));
      expect(JSON.stringify(fits).length).toBeGreaterThan(2048);
      expect((await small.post('/bulk', fits, { token: smallKey })).status).toBe(202);
      const over = Array.from({ length: 2000 }, (_, i) => event(i));
      const res = await small.post('/bulk', over, { token: smallKey });
      expect(res.status).toBe(413);
      expect(res.body.code).toBe('request_entity_too_large');
      // Compressed under the limit, inflated over it.
      const zipped = await fetch(`${small.url}/bulk`, { method: 'POST', headers: { authorization: smallKey, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: zlib.gzipSync(JSON.stringify(over)) });
      expect(zipped.status).toBe(413);
      expect((await small.store.db.selectFrom('sdk_events').select('id').execute()).length).toBe(100);
    } finally {
      await small.close();
    }
  });

  it('POST /diagnostic: 400 for a body that is not a diagnostic event object', async () => {
    for (const body of [[], 'x', 1, { id: {} }]) {
      const res = await s.post('/diagnostic', body, { token: key });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toMatch(/^body/);
    }
  });

  it('a date no database column can hold is taken as the arrival time, not a 500', async () => {
    const before = Date.now();
    const res = await s.post('/bulk', [1e300, -1e300, 2 ** 60].map((creationDate, i) => ({ kind: 'custom', key: `far-${i}`, creationDate, context: { kind: 'user', key: 'u' } })), { token: key });
    expect(res.status).toBe(202);
    const rows = await s.store.db.selectFrom('sdk_events').select(['key', 'creation_date', 'received_at']).where('key', 'like', 'far-%').execute();
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(Number(row.creation_date)).toBe(Number(row.received_at));
      expect(Number(row.creation_date)).toBeGreaterThanOrEqual(before - 1000);
    }
    // The other cases count what a refusal stored: none of these.
    await s.store.db.deleteFrom('sdk_events').execute();
  });

  it('an event with a string too long to index is left out (202), the rest of its payload stored, not a 500', async () => {
    // Random, so that PostgreSQL cannot compress it into an index row.
    const long = crypto.randomBytes(2250).toString('base64'); // 3000 characters
    const cjk = Array.from(crypto.randomBytes(400), (byte) => String.fromCodePoint(0x4e00 + byte * 40)).join(''); // 400 characters, 1200 bytes
    const user = { kind: 'user', key: 'u' };
    const events = [
      { kind: 'custom', key: 'kept-1', context: user },
      { kind: 'custom', key: long, context: user },
      { kind: 'feature', key: long, value: true, context: user },
      { kind: 'custom', key: cjk, context: user },
      { kind: 'custom', key: 'long-context', context: { kind: 'user', key: long } },
      { kind: 'custom', key: 'long-kind', context: { kind: 'multi', [long]: { key: 'k' } } },
      { kind: long, key: 'long-event-kind' },
      { kind: 'summary', startDate: 1, endDate: 2, features: { [long]: { default: true, counters: [], contextKinds: ['user'] } } },
      { kind: 'custom', key: `kept-${'鍵'.repeat(300)}`, context: user },
    ];
    const res = await s.post('/bulk', events, { token: key, headers: { 'x-launchdarkly-payload-id': long } });
    expect(res.status).toBe(202);
    const rows = await s.store.db.selectFrom('sdk_events').select(['key']).execute();
    // Contexts too long to record leave their events stored (the context records leave them out: records.test.ts).
    expect(rows.map((row) => row.key).sort()).toEqual(['kept-1', `kept-${'鍵'.repeat(300)}`, 'long-context', 'long-kind']);
    expect(await s.store.db.selectFrom('flag_requests').select('flag_key').where('flag_key', '=', long).execute()).toEqual([]);
    await s.store.db.deleteFrom('sdk_events').execute();
  });

  it('400 for malformed JSON', async () => {
    const res = await s.request('POST', '/bulk', { raw: '[{"kind":', token: key });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
  });

  it('400 for a body that says gzip and is not; 415 for an encoding iterlab does not read', async () => {
    const bad = await fetch(`${s.url}/bulk`, { method: 'POST', headers: { authorization: key, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '[]' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('gzip') });
    const brotli = await fetch(`${s.url}/bulk`, { method: 'POST', headers: { authorization: key, 'content-type': 'application/json', 'content-encoding': 'br' }, body: zlib.brotliCompressSync('[]') });
    expect(brotli.status).toBe(415);
    expect(await brotli.json()).toMatchObject({ code: 'unsupported_media_type' });
    expect(await stored()).toBe(0);
  });
});
