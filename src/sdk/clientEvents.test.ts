// The client-side SDKs' events (POST /events/bulk/{envId}, by client-side ID) and the mobile SDKs' (POST
// /mobile/events/bulk, /mobile/events, /mobile, by mobile key): stored as the server-side /bulk stores them, for the
// credential's environment, counted by experiments; gzip bodies, a payload sent again counted once, diagnostics
// acknowledged and not kept, bodies that are not events refused.
import os from 'node:os';
import zlib from 'node:zlib';
import { initialize } from 'launchdarkly-node-client-sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from '../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../test/support/server.js';

interface StoredEvent {
  environment_id: string;
  kind: string;
  key: string | null;
  creation_date: number;
  context_keys: Record<string, string> | null;
  variation: number | null;
  in_experiment: number | null;
  value: number | null;
  doc: any;
}

async function storedEvents(s: TestServer): Promise<StoredEvent[]> {
  const rows = await s.store.db
    .selectFrom('sdk_events')
    .select(['environment_id', 'kind', 'key', 'creation_date', 'context_keys', 'variation', 'in_experiment', 'value', 'doc'])
    .orderBy('creation_date')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    ...row,
    creation_date: Number(row.creation_date),
    variation: row.variation === null ? null : Number(row.variation),
    in_experiment: row.in_experiment === null ? null : Number(row.in_experiment),
    value: row.value === null ? null : Number(row.value),
    context_keys: row.context_keys === null ? null : JSON.parse(row.context_keys),
    doc: JSON.parse(row.doc),
  }));
}

const USER = { kind: 'user', key: 'user-1' };
const b64 = (context: unknown) => Buffer.from(JSON.stringify(context)).toString('base64url');

describe('client-side and mobile SDK events', () => {
  let s: TestServer;
  let w: World;
  let production: { _id: string; apiKey: string; mobileKey: string };
  let test: { _id: string; apiKey: string; mobileKey: string };
  const clientPost = (envId: string, body: unknown, headers: Record<string, string> = {}) => s.post(`/events/bulk/${envId}`, body, { token: null, headers });
  const mobilePost = (path: string, key: string | null, body: unknown, headers: Record<string, string> = {}) => s.post(path, body, { token: key, headers });

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    production = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body;
    test = (await s.get(`/api/v2/projects/${w.project}/environments/test`)).body;
    const made = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/clientSideAvailability', value: { usingEnvironmentId: true, usingMobileKey: true } }]);
    expect(made.status).toBe(200);
  });
  beforeEach(async () => {
    await s.store.db.deleteFrom('sdk_events').execute();
    await s.store.db.deleteFrom('sdk_event_payloads').execute();
  });
  afterAll(() => s.close());

  it('POST /events/bulk/{envId}: 202, no body, CORS open; each event stored for the environment as sent', async () => {
    const events = [
      { kind: 'identify', creationDate: 1_700_000_000_000, context: { kind: 'user', key: 'u1', name: 'Sandy' } },
      {
        kind: 'feature',
        key: w.flag,
        creationDate: 1_700_000_000_001,
        context: { kind: 'multi', user: { key: 'u1' }, org: { key: 'acme' } },
        value: false,
        variation: 1,
        version: 4,
        reason: { kind: 'FALLTHROUGH', inExperiment: true },
      },
      { kind: 'custom', key: 'purchase', creationDate: 1_700_000_000_002, contextKeys: { user: 'u1' }, data: { cart: 3 }, metricValue: 42.5 },
      { kind: 'summary', startDate: 1_700_000_000_000, endDate: 1_700_000_000_003, features: { [w.flag]: { default: true, counters: [{ value: false, variation: 1, version: 4, count: 1 }] } } },
    ];
    const res = await clientPost(production._id, events, { origin: 'https://shop.example.com', 'x-launchdarkly-event-schema': '4' });
    expect(res.status).toBe(202);
    expect(res.body).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(await storedEvents(s)).toEqual([
      { environment_id: production._id, kind: 'identify', key: null, creation_date: 1_700_000_000_000, context_keys: { user: 'u1' }, variation: null, in_experiment: 0, value: null, doc: events[0] },
      { environment_id: production._id, kind: 'feature', key: w.flag, creation_date: 1_700_000_000_001, context_keys: { user: 'u1', org: 'acme' }, variation: 1, in_experiment: 1, value: null, doc: events[1] },
      { environment_id: production._id, kind: 'custom', key: 'purchase', creation_date: 1_700_000_000_002, context_keys: { user: 'u1' }, variation: null, in_experiment: 0, value: 42.5, doc: events[2] },
      { environment_id: production._id, kind: 'summary', key: null, creation_date: 1_700_000_000_003, context_keys: null, variation: null, in_experiment: 0, value: null, doc: events[3] },
    ]);
  });

  it('an empty array is a 202 that stores nothing', async () => {
    expect((await clientPost(production._id, [])).status).toBe(202);
    expect((await mobilePost('/mobile', production.mobileKey, [])).status).toBe(202);
    expect(await storedEvents(s)).toEqual([]);
  });

  it("mobile paths (/mobile/events/bulk, /mobile/events, /mobile): stored for the mobile key's environment", async () => {
    const paths = ['/mobile/events/bulk', '/mobile/events', '/mobile'];
    for (const [i, path] of paths.entries()) {
      const res = await mobilePost(path, production.mobileKey, [{ kind: 'custom', key: `via ${path}`, creationDate: 1_000 + i, context: USER }]);
      expect(res.status, path).toBe(202);
      expect(res.body).toBe('');
    }
    // Another environment's key: that environment; `api_key ` before the key is read too.
    expect((await mobilePost('/mobile/events/bulk', `api_key ${test.mobileKey}`, [{ kind: 'custom', key: 'in test', creationDate: 2_000, context: USER }])).status).toBe(202);
    expect((await storedEvents(s)).map((e) => [e.environment_id, e.kind, e.key, e.creation_date, e.context_keys])).toEqual([
      [production._id, 'custom', 'via /mobile/events/bulk', 1_000, { user: 'user-1' }],
      [production._id, 'custom', 'via /mobile/events', 1_001, { user: 'user-1' }],
      [production._id, 'custom', 'via /mobile', 1_002, { user: 'user-1' }],
      [test._id, 'custom', 'in test', 2_000, { user: 'user-1' }],
    ]);
  });

  it('a client-side ID stores into its own environment; an unknown one is a 404 and stores nothing', async () => {
    expect((await clientPost(test._id, [{ kind: 'custom', key: 'in test', creationDate: 1, context: USER }])).status).toBe(202);
    const unknown = await clientPost('5f0000000000000000000000', [{ kind: 'custom', key: 'lost', creationDate: 2, context: USER }]);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ code: 'not_found', message: 'Environment with client-side ID "5f0000000000000000000000" not found' });
    expect((await storedEvents(s)).map((e) => [e.environment_id, e.key])).toEqual([[test._id, 'in test']]);
  });

  it('gzip bodies on the client-side and mobile paths', async () => {
    const zipped = (key: string) => zlib.gzipSync(JSON.stringify([{ kind: 'custom', key, creationDate: 5, context: USER }]));
    const client = await fetch(`${s.url}/events/bulk/${production._id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: zipped('client zipped') });
    expect(client.status).toBe(202);
    expect(client.headers.get('access-control-allow-origin')).toBe('*');
    for (const path of ['/mobile/events/bulk', '/mobile']) {
      const res = await fetch(`${s.url}${path}`, { method: 'POST', headers: { authorization: production.mobileKey, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: zipped(`mobile zipped ${path}`) });
      expect(res.status, path).toBe(202);
    }
    expect((await storedEvents(s)).map((e) => e.key)).toEqual(['client zipped', 'mobile zipped /mobile/events/bulk', 'mobile zipped /mobile']);

    const notGzip = await fetch(`${s.url}/events/bulk/${production._id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: '[]' });
    expect(notGzip.status).toBe(400);
    expect(await notGzip.json()).toMatchObject({ code: 'invalid_request', message: 'body: Content-Encoding is gzip but the body is not valid gzip' });
    const brotli = await fetch(`${s.url}/mobile/events/bulk`, { method: 'POST', headers: { authorization: production.mobileKey, 'content-type': 'application/json', 'content-encoding': 'br' }, body: zlib.brotliCompressSync('[]') });
    expect(brotli.status).toBe(415);
    expect(await brotli.json()).toMatchObject({ code: 'unsupported_media_type' });
    expect(await storedEvents(s)).toHaveLength(3);
  });

  it('a payload sent again with the same X-LaunchDarkly-Payload-ID is stored once (client-side and mobile)', async () => {
    const events = [{ kind: 'custom', key: 'checkout', creationDate: 1_700_000_000_000, context: USER }];
    const once = { 'x-launchdarkly-payload-id': '7d3ec3d6-6c3b-4a4c-9b1f-2f0a1a6f3b11' };
    for (let i = 0; i < 2; i++) {
      const res = await clientPost(production._id, events, once);
      expect(res.status).toBe(202);
      expect(res.body).toBe('');
    }
    const mobileOnce = { 'x-launchdarkly-payload-id': '0a1b2c3d-0000-4000-8000-000000000001' };
    for (let i = 0; i < 2; i++) expect((await mobilePost('/mobile/events/bulk', test.mobileKey, events, mobileOnce)).status).toBe(202);
    // Other ids are other payloads.
    await clientPost(production._id, events, { 'x-launchdarkly-payload-id': 'another' });
    await clientPost(production._id, events);
    expect((await storedEvents(s)).map((e) => e.environment_id).sort()).toEqual([production._id, production._id, production._id, test._id].sort());
  });

  it('diagnostic events: 202 on /events/diagnostic/{envId} and /mobile/events/diagnostic, not stored', async () => {
    const init = { kind: 'diagnostic-init', id: { diagnosticId: 'd1', sdkKeySuffix: 'abcdef' }, creationDate: 1, sdk: { name: 'js-client-sdk' } };
    const periodic = { kind: 'diagnostic', id: { diagnosticId: 'd1' }, creationDate: 2, droppedEvents: 0 };
    for (const body of [init, periodic]) {
      const client = await s.post(`/events/diagnostic/${production._id}`, body, { token: null });
      expect(client.status).toBe(202);
      expect(client.body).toBe('');
      expect(client.headers['access-control-allow-origin']).toBe('*');
      const mobile = await s.post('/mobile/events/diagnostic', body, { token: production.mobileKey });
      expect(mobile.status).toBe(202);
      expect(mobile.body).toBe('');
    }
    const zipped = await fetch(`${s.url}/events/diagnostic/${production._id}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: zlib.gzipSync(JSON.stringify(init)) });
    expect(zipped.status).toBe(202);
    expect(await storedEvents(s)).toEqual([]);
    // Only the SDK's start is counted, for sdk-active, by the name its diagnostic events give.
    const active = await s.get(`/api/v2/projects/${w.project}/environments/production/sdk-active?sdk_name=js-client-sdk`);
    expect(active.body).toEqual({ active: true });
  });

  it('bodies that are not events: 400 naming the problem, nothing of the payload stored', async () => {
    const notArray = await clientPost(production._id, { kind: 'custom', key: 'k' });
    expect(notArray.status).toBe(400);
    expect(notArray.body).toMatchObject({ code: 'invalid_request', message: 'body: must be a JSON array of events' });
    expect(notArray.headers['access-control-allow-origin']).toBe('*');
    const mixed = [{ kind: 'custom', key: 'ok', context: USER }, { key: 'x' }, 'text', { kind: '' }];
    for (const res of [await clientPost(production._id, mixed), await mobilePost('/mobile/events/bulk', production.mobileKey, mixed), await mobilePost('/mobile', production.mobileKey, mixed)]) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'invalid_request', message: 'body[1].kind: must be a non-empty string; body[2]: must be an event object; body[3].kind: must be a non-empty string' });
    }
    const mobileNotArray = await mobilePost('/mobile/events', production.mobileKey, 'events');
    expect(mobileNotArray.status).toBe(400);
    expect(mobileNotArray.body.message).toBe('body: must be a JSON array of events');
    const malformed = await s.request('POST', `/events/bulk/${production._id}`, { raw: '[{"kind":', token: null });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('invalid_request');
    for (const body of [[], 'x', 1, { id: {} }]) {
      for (const res of [await s.post(`/events/diagnostic/${production._id}`, body, { token: null }), await s.post('/mobile/events/diagnostic', body, { token: production.mobileKey })]) {
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body.code).toBe('invalid_request');
        expect(res.body.message).toMatch(/^body/);
      }
    }
    expect(await storedEvents(s)).toEqual([]);
  });

  it("the official client-side SDK's events land in its environment", async () => {
    const client = initialize(production._id, USER as never, {
      baseUrl: s.url,
      streamUrl: s.url,
      eventsUrl: s.url,
      sendEvents: true,
      flushInterval: 3_600_000,
      diagnosticOptOut: true,
      localStoragePath: os.tmpdir(),
      logger: { debug() {}, info() {}, warn() {}, error() {} },
    } as never);
    try {
      await client.waitForInitialization(10);
      client.variation(w.flag, 'default');
      client.track('checkout', { cart: 1 }, 9.5);
      await client.flush();
    } finally {
      await client.close();
    }
    const events = await storedEvents(s);
    expect(new Set(events.map((e) => e.environment_id))).toEqual(new Set([production._id]));
    expect(events.find((e) => e.kind === 'identify')).toMatchObject({ context_keys: { user: 'user-1' } });
    expect(events.find((e) => e.kind === 'custom')).toMatchObject({ key: 'checkout', context_keys: { user: 'user-1' }, value: 9.5, doc: { data: { cart: 1 } } });
    expect(events.find((e) => e.kind === 'summary')?.doc.features[w.flag]).toBeDefined();
  });

  it("a running experiment's results count exposures and conversions sent by client-side and mobile SDKs", async () => {
    const version = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments.production.version;
    await createExperimentIn(s, w, 'client-events-exp', iterationBody({ ...w, version }));
    const started = await s.patch(experimentsPath(w, 'client-events-exp'), { instructions: [{ kind: 'startIteration' }] }, { headers: { 'LD-API-Version': 'beta' } });
    expect(started.status, JSON.stringify(started.body)).toBe(200);
    const units = new Map<boolean, number>();
    const conversions = new Map<boolean, number>();
    for (let i = 0; i < 24; i++) {
      const context = { kind: 'user', key: `events-unit-${i}` };
      const mobile = i % 2 === 1;
      // The value the SDK would be served, and the event it would send for it.
      const served = mobile
        ? (await s.get(`/msdk/evalx/contexts/${b64(context)}`, { token: production.mobileKey })).body[w.flag]
        : (await s.get(`/sdk/evalx/${production._id}/contexts/${b64(context)}`, { token: null })).body[w.flag];
      expect(served).toMatchObject({ trackEvents: true, trackReason: true, reason: { kind: 'FALLTHROUGH', inExperiment: true } });
      const now = Date.now();
      const events: unknown[] = [{ kind: 'feature', key: w.flag, creationDate: now, context, value: served.value, variation: served.variation, version: served.version, reason: served.reason }];
      units.set(served.value, (units.get(served.value) ?? 0) + 1);
      if (i % 3 === 0) {
        events.push({ kind: 'custom', key: 'checkout', creationDate: now + 1, contextKeys: { user: context.key } });
        conversions.set(served.value, (conversions.get(served.value) ?? 0) + 1);
      }
      const res = mobile ? await mobilePost(['/mobile/events/bulk', '/mobile/events', '/mobile'][i % 3], production.mobileKey, events) : await clientPost(production._id, events);
      expect(res.status).toBe(202);
    }
    const res = await s.get(`${experimentsPath(w, 'client-events-exp')}/metrics/${w.metric}/results`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [control, green] = res.body.treatmentResults;
    expect(control).toMatchObject({ units: units.get(true) ?? 0, eventValuesSum: conversions.get(true) ?? 0 });
    expect(green).toMatchObject({ units: units.get(false) ?? 0, eventValuesSum: conversions.get(false) ?? 0 });
    expect((units.get(true) ?? 0) + (units.get(false) ?? 0)).toBe(24);
  });
});
