// The client-side SDK endpoints with the official Node client-side SDK (launchdarkly-node-client-sdk, the
// JavaScript SDK's protocol): values for one context, available flags only, live updates over the stream, and an
// experiment run from the client side, whose events are the experiment's results.
import os from 'node:os';
import { initialize, type LDClient } from 'launchdarkly-node-client-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, iterationBody, type World } from '../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

describe('client-side SDK endpoints, with the official Node client-side SDK', () => {
  let s: TestServer;
  let w: World;
  let envId: string;
  const clients: LDClient[] = [];
  const open = async (context: Record<string, unknown>, options: Record<string, unknown> = {}) => {
    const client = initialize(envId, context as never, {
      baseUrl: s.url,
      streamUrl: s.url,
      eventsUrl: s.url,
      sendEvents: false,
      diagnosticOptOut: true,
      localStoragePath: os.tmpdir(),
      logger: quiet,
      ...options,
    } as never);
    clients.push(client);
    await client.waitForInitialization(10);
    return client;
  };

  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
    envId = (await s.get(`/api/v2/projects/${w.project}/environments/${w.env}`)).body._id;
    // The world's flag is made available to client-side SDKs; another one is not.
    const made = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/clientSideAvailability', value: { usingEnvironmentId: true, usingMobileKey: false } }]);
    expect(made.status, JSON.stringify(made.body)).toBe(200);
    const hidden = await s.post(`/api/v2/flags/${w.project}`, { name: 'Server only', key: 'server-only', clientSideAvailability: { usingEnvironmentId: false, usingMobileKey: true } });
    expect(hidden.status).toBe(201);
  });
  afterAll(async () => {
    for (const client of clients) await client.close();
    await s.close();
  });

  it('serves the available flags\' values for the context, as evaluated on the server', async () => {
    const beta = await open({ kind: 'user', key: 'beta-user', groups: ['beta'] }, { evaluationReasons: true });
    expect(beta.variation(w.flag, 'default')).toBe(true);
    expect(beta.variationDetail(w.flag, 'default').reason).toEqual({ kind: 'RULE_MATCH', ruleIndex: 0, ruleId: w.ruleId });
    // Without evaluationReasons the SDK is sent values only (reasons come when an experiment needs them).
    const plain = await open({ kind: 'user', key: 'beta-user', groups: ['beta'] });
    expect(plain.variationDetail(w.flag, 'default')).toEqual({ value: true, variationIndex: 0, reason: null });
    expect(beta.variation('server-only', 'default')).toBe('default');
    expect(Object.keys(beta.allFlags())).toEqual([w.flag]);
    const other = await open({ kind: 'user', key: 'someone' });
    expect(other.variation(w.flag, 'default')).toBe(true);
  });

  it('the stream sends a changed value as soon as the flag changes', async () => {
    const client = await open({ kind: 'user', key: 'streamer' }, { streaming: true });
    expect(client.variation(w.flag, 'default')).toBe(true);
    const changed = new Promise((resolve) => client.on(`change:${w.flag}`, resolve));
    const res = await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: `/environments/${w.env}/fallthrough/variation`, value: 1 }]);
    expect(res.status).toBe(200);
    await changed;
    expect(client.variation(w.flag, 'default')).toBe(false);
  });

  it("an experiment on the flag: the client SDK's exposures and conversions are the experiment's results", async () => {
    const version = (await s.get(`/api/v2/flags/${w.project}/${w.flag}`)).body.environments[w.env].version;
    await createExperimentIn(s, w, 'client-exp', iterationBody({ ...w, version }));
    expect((await s.patch(experimentsPath(w, 'client-exp'), { instructions: [{ kind: 'startIteration' }] })).status).toBe(200);
    const served = new Map<boolean, number>();
    const converted = new Map<boolean, number>();
    for (let i = 0; i < 40; i++) {
      const client = await open({ kind: 'user', key: `client-unit-${i}` }, { sendEvents: true, flushInterval: 3_600_000 });
      const detail = client.variationDetail(w.flag, 'default');
      expect(detail.reason).toEqual({ kind: 'FALLTHROUGH', inExperiment: true });
      const value = detail.value as boolean;
      served.set(value, (served.get(value) ?? 0) + 1);
      if (i % 2 === 0) {
        client.track('checkout');
        converted.set(value, (converted.get(value) ?? 0) + 1);
      }
      await client.flush();
    }
    const res = await s.get(`${experimentsPath(w, 'client-exp')}/metrics/${w.metric}/results?expand=traffic`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [control, green] = res.body.treatmentResults;
    expect(control).toMatchObject({ units: served.get(true) ?? 0, eventValuesSum: converted.get(true) ?? 0 });
    expect(green).toMatchObject({ units: served.get(false) ?? 0, eventValuesSum: converted.get(false) ?? 0 });
  });
});
