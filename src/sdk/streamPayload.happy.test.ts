// GET /sdk/stream (FDv2) with the official Node server-side SDK's data system (its `dataSystem` option): it
// initializes, evaluates what iterlab stores, and follows changes written through the REST API; read raw, every
// connection starts with a whole payload, and each change names the state the SDK then holds.
import type { LDClient, LDOptions } from '@launchdarkly/node-server-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../test/support/fixtures.js';
import { expectFollowsFlagLifecycle, sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';
import { openStream, type OpenedStream } from '../../test/support/streams.js';

const beta = { kind: 'user', key: 'ada', groups: ['beta'] };
const other = { kind: 'user', key: 'bob' };
/** The SDK's data system on its streaming synchronizer alone, or its default (a poll to start, then the stream). */
const streamingOnly = { dataSystem: { dataSource: { dataSourceOptionsType: 'streamingOnly', streamInitialReconnectDelay: 0.05 } } } as LDOptions;
const standard = { dataSystem: {} } as LDOptions;

describe('GET /sdk/stream (FDv2)', () => {
  let s: TestServer;
  let w: World;
  let key: string;
  let client: LDClient;
  const clients: LDClient[] = [];
  const streams: OpenedStream[] = [];

  async function started(options: LDOptions): Promise<LDClient> {
    const c = sdkClient(s.url, key, options);
    clients.push(c);
    await c.waitForInitialization({ timeout: 10 });
    return c;
  }

  async function opened(basis?: string): Promise<OpenedStream> {
    const stream = await openStream(s.url, 'GET', `/sdk/stream${basis === undefined ? '' : `?basis=${encodeURIComponent(basis)}`}`, { headers: { authorization: key } });
    streams.push(stream);
    return stream;
  }

  beforeEach(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    key = await sdkKeyOf(s, w.project);
    client = await started(streamingOnly);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const stream of streams.splice(0)) stream.close();
    await s.close();
  });

  it('serves every flag of the environment as the SDK evaluates it, and the stream is counted', async () => {
    expect(await client.variationDetail(w.flag, beta, 'default')).toEqual({ value: true, variationIndex: 0, reason: { kind: 'RULE_MATCH', ruleIndex: 0, ruleId: w.ruleId } });
    expect(await client.variationDetail(w.flag, other, 'default')).toEqual({ value: true, variationIndex: 0, reason: { kind: 'FALLTHROUGH' } });
    expect(Object.keys((await client.allFlagsState(other)).allValues())).toEqual([w.flag]);
    expect(s.app.sdkStreams.connections).toBe(1);
    expect((await s.get('/metrics', { token: null })).body).toMatch(/^iterlab_sdk_streams 1$/m);
  });

  it('follows targeting changes, new flags, deletions and a key created again below its deletion', async () => {
    await expectFollowsFlagLifecycle(s, w.project, w.flag, client);
  });

  it('an archived flag is gone, and back when restored; a segment change reaches the stream', async () => {
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/archived', value: true }]);
    await vi.waitFor(async () => expect((await client.variationDetail(w.flag, other, 'default')).reason).toEqual({ kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' }));
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/archived', value: false }]);
    await vi.waitFor(async () => expect(await client.variation(w.flag, other, 'default')).toBe(true));

    expect((await s.post(`/api/v2/segments/${w.project}/production`, { key: 'testers', name: 'Testers' })).status).toBe(201);
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [
      { op: 'add', path: '/environments/production/rules/0', value: { clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['testers'] }], variation: 1 } },
    ]);
    await vi.waitFor(async () => expect((await client.variationDetail(w.flag, other, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' }));
    expect((await s.patch(`/api/v2/segments/${w.project}/production/testers`, [{ op: 'add', path: '/included/-', value: 'bob' }])).status).toBe(200);
    await vi.waitFor(async () => expect(await client.variation(w.flag, other, 'default')).toBe(false));
  });

  it('a started iteration reaches the SDK as an experiment rollout', async () => {
    await createExperimentIn(s, w);
    const started = await s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] }, { headers: { 'LD-API-Version': 'beta' } });
    expect(started.status).toBe(200);
    await vi.waitFor(async () => expect((await client.variationDetail(w.flag, other, 'default')).reason).toEqual({ kind: 'FALLTHROUGH', inExperiment: true }));
  });

  it('the SDK\'s default data system (a poll, then this stream) and an FDv1 client follow the same change', async () => {
    const fdv2 = await started(standard);
    const fdv1 = await started({});
    // The default data system is initialized by its poll, and opens its stream after: waited for, not assumed.
    await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(3));
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/fallthrough/variation', value: 1 }]);
    for (const c of [client, fdv2, fdv1]) await vi.waitFor(async () => expect(await c.variation(w.flag, other, 'default')).toBe(false));
  });

  it('read raw: a payload and its state; reconnecting is a whole payload again; a change is its objects and the next state', async () => {
    const first = await opened();
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(first.headers['x-ld-envid']).toEqual(expect.any(String));
    const intent = await first.event(0);
    expect(intent).toEqual({ event: 'server-intent', data: { payloads: [{ id: first.headers['x-ld-envid'], target: expect.any(Number), intentCode: 'xfer-full', reason: 'payload-missing' }] } });
    expect((await first.event(1)).data).toMatchObject({ kind: 'flag', key: w.flag, version: expect.any(Number), object: { key: w.flag, on: true } });
    const done = await first.event(2);
    expect(done).toEqual({ event: 'payload-transferred', data: { state: expect.any(String), version: intent.data.payloads[0].target, id: intent.data.payloads[0].id } });
    // The poll names the same state for the same data.
    const polled = await s.get('/sdk/poll', { token: key });
    expect(polled.body.events.at(-1).data.state).toBe(done.data.state);

    // A stream is sent everything whatever its basis: the SDK reconnects with the basis it first opened with, which
    // may name data it no longer holds (the same state comes back when a flag is created and deleted again).
    const resumed = await opened(done.data.state);
    expect((await resumed.event(0)).data.payloads[0]).toMatchObject({ intentCode: 'xfer-full', reason: 'cant-catchup' });
    expect((await resumed.event(1)).data).toMatchObject({ kind: 'flag', key: w.flag });
    expect((await resumed.event(2)).data.state).toBe(done.data.state);

    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
    const put = await resumed.event(3);
    expect(put).toEqual({ event: 'put-object', data: { kind: 'flag', key: w.flag, version: expect.any(Number), object: expect.objectContaining({ on: false }) } });
    expect(put.data.version).toBeGreaterThan((await first.event(1)).data.version);
    const next = await resumed.event(4);
    expect(next.event).toBe('payload-transferred');
    expect(next.data.state).not.toBe(done.data.state);
    expect(next.data.version).toBeGreaterThan(done.data.version);
    expect((await s.get('/sdk/poll', { token: key })).body.events.at(-1).data.state).toBe(next.data.state);
    // The deletion of a flag: a delete-object above the version the SDK holds.
    expect((await s.del(`/api/v2/flags/${w.project}/${w.flag}`)).status).toBe(204);
    expect(await resumed.event(5)).toEqual({ event: 'delete-object', data: { kind: 'flag', key: w.flag, version: put.data.version + 1 } });
    expect((await resumed.event(6)).event).toBe('payload-transferred');
  });
});
