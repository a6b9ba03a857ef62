// POST /bulk with the official SDK: the events it sends (an experiment's exposures as full feature events, custom
// events with their values, identify, index and summary) are stored for the key's environment as received.
import zlib from 'node:zlib';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

async function storedEvents(s: TestServer): Promise<{ kind: string; key: string | null; creation_date: number; doc: any }[]> {
  const rows = await s.store.db.selectFrom('sdk_events').select(['kind', 'key', 'creation_date', 'doc']).orderBy('id').execute();
  return rows.map((row) => ({ ...row, doc: JSON.parse(row.doc) }));
}

describe('POST /bulk (SDK events)', () => {
  let s: TestServer;
  let w: World;
  let key: string;
  let client: LDClient | undefined;
  beforeEach(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    key = await sdkKeyOf(s, w.project);
  });
  afterEach(async () => {
    client?.close();
    client = undefined;
    await s.close();
  });

  it('stores what the official SDK sends: exposures in a running experiment, custom events with values, summaries', async () => {
    await createExperimentIn(s, w);
    expect((await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] }, { headers: { 'LD-API-Version': 'beta' } })).status).toBe(200);
    client = sdkClient(s.url, key, { sendEvents: true, flushInterval: 3600 });
    await client.waitForInitialization({ timeout: 10 });
    const unit = { kind: 'user', key: 'unit-1' };
    const served = await client.variation(w.flag, unit, 'default');
    client.track('checkout', unit, { cart: 3 }, 42.5);
    client.identify({ kind: 'user', key: 'unit-2' });
    await client.flush();

    const events = await storedEvents(s);
    const feature = events.find((e) => e.kind === 'feature');
    expect(feature).toMatchObject({ key: w.flag, doc: { kind: 'feature', key: w.flag, value: served, reason: { kind: 'FALLTHROUGH', inExperiment: true }, context: unit } });
    expect(feature!.creation_date).toBe(feature!.doc.creationDate);
    const custom = events.find((e) => e.kind === 'custom');
    expect(custom).toMatchObject({ key: 'checkout', doc: { key: 'checkout', data: { cart: 3 }, metricValue: 42.5, context: unit } });
    expect(events.find((e) => e.kind === 'identify')).toMatchObject({ key: null, doc: { context: { key: 'unit-2' } } });
    const summary = events.find((e) => e.kind === 'summary');
    expect(summary?.doc.features[w.flag]).toBeDefined();
    expect(summary!.creation_date).toBe(summary!.doc.endDate);
  });

  it('202 with no body; a payload sent again with the same payload id is stored once', async () => {
    const events = [{ kind: 'custom', key: 'checkout', creationDate: 1_700_000_000_000, context: { kind: 'user', key: 'u' } }];
    const headers = { 'x-launchdarkly-payload-id': '7d3ec3d6-6c3b-4a4c-9b1f-2f0a1a6f3b11', 'x-launchdarkly-event-schema': '4' };
    for (let i = 0; i < 2; i++) {
      const res = await s.post('/bulk', events, { token: key, headers });
      expect(res.status).toBe(202);
      expect(res.body).toBe('');
    }
    await s.post('/bulk', events, { token: key, headers: { 'x-launchdarkly-payload-id': 'another' } });
    expect((await storedEvents(s)).map((e) => [e.kind, e.key, e.creation_date])).toEqual([
      ['custom', 'checkout', 1_700_000_000_000],
      ['custom', 'checkout', 1_700_000_000_000],
    ]);
  });

  it('events of schema 3 (SDKs from before contexts: `userKey`, or the user inline) count in experiment results as their user', async () => {
    await createExperimentIn(s, w);
    const started = await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] });
    expect(started.status).toBe(200);
    const at = started.body.currentIteration.startedAt + 1;
    const reason = { kind: 'FALLTHROUGH', inExperiment: true };
    const events = [
      { kind: 'feature', key: w.flag, creationDate: at, userKey: 'old-1', value: true, variation: 0, version: 3, reason },
      { kind: 'feature', key: w.flag, creationDate: at, user: { key: 'old-2', country: 'NZ' }, value: false, variation: 1, version: 3, reason },
      { kind: 'custom', key: 'checkout', creationDate: at + 1, userKey: 'old-1' },
      { kind: 'custom', key: 'checkout', creationDate: at + 1, user: { key: 'old-2' } },
    ];
    expect((await s.post('/bulk', events, { token: key, headers: { 'x-launchdarkly-event-schema': '3' } })).status).toBe(202);
    const res = await s.get(`${experimentsPath(w, 'checkout-exp')}/metrics/${w.metric}/results?expand=traffic`);
    expect(res.body.treatmentResults.map((t: { traffic: number; eventValuesSum: number }) => [t.traffic, t.eventValuesSum])).toEqual([
      [1, 1],
      [1, 1],
    ]);
  });

  it("records the contexts the SDK's events carry for the Contexts API: as last seen, an older payload arriving later changing nothing", async () => {
    client = sdkClient(s.url, key, { sendEvents: true, flushInterval: 3600 });
    await client.waitForInitialization({ timeout: 10 });
    await client.variation(w.flag, { kind: 'user', key: 'unit-9', name: 'Nine' }, 'default');
    await client.flush();
    const base = `/api/v2/projects/${w.project}/environments/production`;
    const [record] = (await s.get(`${base}/contexts/user/unit-9`)).body.items;
    expect(record).toMatchObject({ context: { kind: 'user', key: 'unit-9', name: 'Nine' }, applicationId: expect.stringMatching(/^NodeJSClient\//) });
    const seen = Date.parse(record.lastSeen);
    // An older payload from the same SDK, arriving after: the record keeps the newer attributes and time.
    await s.post('/bulk', [{ kind: 'index', creationDate: seen - 60_000, context: { kind: 'user', key: 'unit-9', name: 'Old' } }], { token: key, headers: { 'user-agent': record.applicationId } });
    expect((await s.get(`${base}/contexts/user/unit-9`)).body.items).toEqual([record]);
    await s.post('/bulk', [{ kind: 'identify', creationDate: seen + 1, context: { kind: 'user', key: 'unit-9', name: 'New' } }], { token: key, headers: { 'user-agent': record.applicationId } });
    expect((await s.get(`${base}/contexts/user/unit-9`)).body.items.map((i: { context: { name: string } }) => i.context.name)).toEqual(['New']);
  });

  it('gzip bodies, as the SDK sends them with enableEventCompression', async () => {
    const body = zlib.gzipSync(JSON.stringify([{ kind: 'custom', key: 'zipped', creationDate: 5, context: { kind: 'user', key: 'u' } }]));
    const res = await fetch(`${s.url}/bulk`, { method: 'POST', headers: { authorization: key, 'content-type': 'application/json', 'content-encoding': 'gzip' }, body });
    expect(res.status).toBe(202);
    expect((await storedEvents(s)).map((e) => e.key)).toEqual(['zipped']);

    client = sdkClient(s.url, key, { sendEvents: true, flushInterval: 3600, enableEventCompression: true });
    await client.waitForInitialization({ timeout: 10 });
    client.track('compressed', { kind: 'user', key: 'u' });
    await client.flush();
    await vi.waitFor(async () => expect((await storedEvents(s)).map((e) => e.key)).toContain('compressed'));
  });

  it('an empty array is accepted and stores nothing; POST /diagnostic is acknowledged', async () => {
    expect((await s.post('/bulk', [], { token: key })).status).toBe(202);
    expect(await storedEvents(s)).toEqual([]);
    const diagnostic = await s.post('/diagnostic', { kind: 'diagnostic-init', id: { diagnosticId: 'd' } }, { token: key });
    expect(diagnostic.status).toBe(202);
    expect(await storedEvents(s)).toEqual([]);
  });
});
