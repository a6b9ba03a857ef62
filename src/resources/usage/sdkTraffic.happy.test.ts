// The figures the official Node server-side SDK's own traffic makes: its stream (getStreamUsage,
// getStreamUsageBySdkVersion, getStreamUsageSdkversion, getServiceConnectionsUsage, getSdkVersionsDetails), its events
// (getEventsUsage), the evaluations its summary events count (getEvaluationsUsage) and the exposures of a running
// experiment (getExperimentationEventsUsage, getExperimentationKeysUsage).
import fs from 'node:fs';
import path from 'node:path';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createExperimentIn, createWorld, experimentsPath, type World } from '../../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { column, seriesOf, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 15, 10, 30);
// The SDK's user agent is NodeJSClient/<its version>.
const SDK_VERSION: string = JSON.parse(fs.readFileSync(path.join(process.cwd(), 'node_modules/@launchdarkly/node-server-sdk/package.json'), 'utf8')).version;

describe('usage from the official SDK', () => {
  let u: UsageWorld;
  let w: World;
  let client: LDClient;
  let experimentId: string;
  beforeAll(async () => {
    u = await usageWorld(T0, { listen: true });
    w = await createWorld(u.s);
    const experiment = await createExperimentIn(u.s, w);
    experimentId = experiment._id;
    expect((await u.s.patch(experimentsPath(w, 'checkout-exp'), { instructions: [{ kind: 'startIteration' }] }, { headers: { 'LD-API-Version': 'beta' } })).status).toBe(200);
    client = sdkClient(u.s.url, await sdkKeyOf(u.s, w.project), { sendEvents: true, flushInterval: 3600, });
    await client.waitForInitialization({ timeout: 10 });
    for (const key of ['a', 'b', 'c']) await client.variation(w.flag, { kind: 'user', key, groups: key === 'a' ? ['beta'] : [] }, false);
    await client.variation(w.flag, { kind: 'user', key: 'a', groups: ['beta'] }, false);
    await client.flush();
  });
  afterAll(async () => {
    client.close();
    await u.s.close();
  });

  it('getEvaluationsUsage: the evaluations the summary counted, one series per variation', async () => {
    const path = `/api/v2/usage/evaluations/${w.project}/production/${w.flag}`;
    const res = await u.usage(path, { from: T0 - HOUR });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.metadata).toEqual([
      { variation: 0, value: true, name: 'True' },
      { variation: 1, value: false, name: 'False' },
    ]);
    // Hourly: the range starts within two days. The flag (on) serves each context a variation by rule or experiment.
    expect(res.body.series.map((p: { time: number }) => p.time)).toEqual([T0 - HOUR - (T0 % HOUR), T0 - (T0 % HOUR)]);
    const served = column(res.body, 0)[1] + column(res.body, 1)[1];
    expect(served).toBe(4);
    expect(column(res.body, 0)[0] + column(res.body, 1)[0]).toBe(0);
    // Daily over the default 30 days; in another environment, none.
    const daily = await u.usage(path, { tz: 'America/New_York' });
    expect(daily.body.series).toHaveLength(31);
    expect(daily.body.series.at(-1)[0] + daily.body.series.at(-1)[1]).toBe(4);
    expect(new Date(daily.body.series.at(-1).time).getUTCHours()).toBe(4);
    const test = await u.usage(`/api/v2/usage/evaluations/${w.project}/test/${w.flag}`, { from: T0 - HOUR });
    expect(column(test.body, 0).concat(column(test.body, 1))).toEqual([0, 0, 0, 0]);
  });

  it('getEventsUsage: the events received (published: none)', async () => {
    const received = await u.usage('/api/v2/usage/events/received');
    expect(received.status, JSON.stringify(received.body)).toBe(200);
    expect(received.body.metadata).toEqual([{ type: 'received' }]);
    // The last 24 hours, hourly: index events for a, b, c, feature events (in the experiment), a summary.
    expect(received.body.series).toHaveLength(25);
    const stored = await u.s.store.db.selectFrom('sdk_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(received.body.series.at(-1)[0]).toBe(Number(stored.n));
    const published = await u.usage('/api/v2/usage/events/published');
    expect(column(published.body).every((n) => n === 0)).toBe(true);
  });

  it("getExperimentationEventsUsage and getExperimentationKeysUsage: the running experiment's exposures", async () => {
    const events = await u.usage('/api/v2/usage/experimentation-events', { groupBy: ['eventKey', 'eventKind'], aggregationType: 'incremental', from: T0 });
    expect(events.status, JSON.stringify(events.body)).toBe(200);
    // What the SDK sent: a full feature event for each evaluation in the experiment (b and c; a matched the rule).
    const stored = await u.s.store.db.selectFrom('sdk_events').select(['context_keys']).where('kind', '=', 'feature').where('in_experiment', '=', 1).execute();
    expect(stored.length).toBeGreaterThanOrEqual(2);
    const units = new Set(stored.map((e) => e.context_keys)).size;
    expect(column(events.body, seriesOf(events.body, { eventKey: w.flag, eventKind: 'feature' }))).toEqual([stored.length]);
    const keys = await u.usage('/api/v2/usage/experimentation-keys', { groupBy: 'experimentId', from: T0, projectKey: w.project });
    expect(keys.status, JSON.stringify(keys.body)).toBe(200);
    expect(column(keys.body, seriesOf(keys.body, { experimentId }))).toEqual([units]);
    const hourly = await u.usage('/api/v2/usage/experimentation-keys', { granularity: 'hourly', aggregationType: 'incremental', from: T0, experimentId });
    expect(column(hourly.body)).toEqual([units]);
    expect(column((await u.usage('/api/v2/usage/experimentation-keys', { from: T0, experimentId: 'nope' })).body)).toEqual([0]);
  });

  it('streams: counted while open and each hour after; their minutes when they close', async () => {
    const server = await u.usage('/api/v2/usage/streams/server', { from: T0 - HOUR });
    expect(server.status, JSON.stringify(server.body)).toBe(200);
    expect(server.body.metadata).toEqual([{ source: 'server' }]);
    expect(column(server.body)).toEqual([0, 1]);
    expect(column((await u.usage('/api/v2/usage/streams/client', { from: T0 - HOUR })).body)).toEqual([0, 0]);
    const versions = await u.usage('/api/v2/usage/streams/server/sdkversions');
    expect(versions.body.sdkVersions).toEqual([{ sdk: 'NodeJSClient', version: SDK_VERSION }]);
    const bySdk = await u.usage('/api/v2/usage/streams/server/bysdkversion', { sdk: 'NodeJSClient' });
    expect(bySdk.body.metadata).toEqual([{ sdk: 'NodeJSClient', version: SDK_VERSION, source: 'server' }]);
    expect(column(bySdk.body).at(-1)).toBe(1);
    expect((await u.usage('/api/v2/usage/streams/server/bysdkversion', { sdk: 'NodeJSClient', version: '1.0.0' })).body.metadata).toEqual([]);

    // Open for 90 minutes across an hour (10:30 to 12:00): one connection in each of its hours, and 90 minutes.
    u.clock.now = T0 + 90 * 60_000;
    client.close();
    await vi.waitFor(async () => {
      const minutes = await u.usage('/api/v2/usage/service-connections', { from: T0, aggregationType: 'incremental', granularity: 'hourly' });
      expect(column(minutes.body)).toEqual([30, 60, 0]);
    });
    const hours = await u.usage('/api/v2/usage/streams/server', { from: T0 });
    expect(column(hours.body)).toEqual([1, 1, 0]);
    const daily = await u.usage('/api/v2/usage/streams/server', { from: T0 - 3 * 86_400_000 });
    expect(column(daily.body).at(-1)).toBe(1);
    const bySdk2 = await u.usage('/api/v2/usage/service-connections', { groupBy: ['sdkName', 'sdkVersion', 'connectionType'], sdkType: 'server' });
    expect(bySdk2.body.metadata).toEqual([{ sdkName: 'NodeJSClient', sdkVersion: SDK_VERSION, connectionType: 'streaming' }]);
    expect(column(bySdk2.body).at(-1)).toBe(90);
  });

  it('getSdkVersionsDetails: each SDK seen in the last day, where', async () => {
    const res = await u.usage('/api/v2/usage/sdk-versions/details');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const project = await u.s.get(`/api/v2/projects/${w.project}?expand=environments`);
    const production = project.body.environments.items.find((e: { key: string }) => e.key === 'production');
    expect(res.body).toEqual([
      {
        name: 'NodeJSClient',
        version: SDK_VERSION,
        type: 'server',
        projectId: project.body._id,
        projectKey: w.project,
        projectName: project.body.name,
        environmentId: production._id,
        environmentKey: 'production',
        environmentName: production.name,
        applicationId: `NodeJSClient/${SDK_VERSION}`,
        connectionType: 'streaming',
      },
    ]);
  });
});
