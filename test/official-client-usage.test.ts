// Account usage (beta) through the official REST client, over real HTTP: launchdarkly-api-typescript 17.x's
// AccountUsageBetaApi has twelve of the 27 operations (getDataExportEventsUsage, getEvaluationsUsage, getEventsUsage,
// getExperimentationKeysUsage, getMauSdksByType, getMauUsage, getMauUsageByCategory, getServiceConnectionUsage,
// getStreamUsage, getStreamUsageBySdkVersion, getStreamUsageSdkversion; its getExperimentationUnitsUsage is no longer
// in LaunchDarkly's spec); the other fifteen (the newest spec's getAIRunsUsage, getSdkAllVersions and
// getWarehouseExportUsage among them) are sent over HTTP as the newer clients send them (the bare token in
// Authorization, repeated query parameters, LD-API-Version: beta). The generated client does not send
// LD-API-Version, so the Configuration's baseOptions carry it, as a caller must. The figures come from the official
// Node server-side SDK's own traffic (its stream, its events, its summaries) and the runs the official AI SDK tracked.
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { initAi } from '@launchdarkly/server-sdk-ai';
import { AccountUsageBetaApi, Configuration } from 'launchdarkly-api-typescript';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { clientFailure } from './support/client.js';
import { createWorld, type World } from './support/fixtures.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';
import { queryString } from './support/usage.js';

const T0 = Date.UTC(2026, 2, 15, 10, 30);

interface SeriesList {
  metadata: Record<string, unknown>[];
  series: Record<string, number>[];
}
const MONTH = Date.UTC(2026, 2, 1);

describe('Account usage through launchdarkly-api-typescript (AccountUsageBetaApi) and over HTTP', () => {
  let s: TestServer;
  let w: World;
  let api: AccountUsageBetaApi;
  let sdk: LDClient;
  const clock = { now: T0 };
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock.now });
    w = await createWorld(s, 'cafe');
    api = new AccountUsageBetaApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url, baseOptions: { headers: { 'LD-API-Version': 'beta' } } }));
    sdk = sdkClient(s.url, await sdkKeyOf(s, w.project), { application: { id: 'com.example.cafe', version: '2.0.1' }, sendEvents: true, flushInterval: 3600 });
    await sdk.waitForInitialization({ timeout: 10 });
    for (const key of ['ada', 'bob', 'cy']) await sdk.variation(w.flag, { kind: 'user', key }, false);
    await sdk.variation(w.flag, { kind: 'user', key: 'ada', groups: ['beta'] }, false);
    await sdk.flush();
  });
  afterAll(async () => {
    sdk.close();
    await s.close();
  });

  /** A call as the newer clients send it. */
  async function http(path: string, query: Record<string, string | number | (string | number)[]> = {}) {
    const res = await fetch(`${s.url}${path}${queryString(query)}`, { headers: { Authorization: s.tokens.reader, 'LD-API-Version': 'beta', 'User-Agent': 'launchdarkly-api-client-go/19.0.0' } });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('the client reads the evaluations, events, streams and MAU the SDK made', async () => {
    const evaluations = (await api.getEvaluationsUsage(w.project, 'production', w.flag, String(T0 - 3_600_000))).data;
    expect(evaluations.metadata).toEqual([
      { variation: 0, value: true, name: 'True' },
      { variation: 1, value: false, name: 'False' },
    ]);
    const last = evaluations.series.at(-1)!;
    expect(last[0] + last[1]).toBe(4);

    const events = (await api.getEventsUsage('received')).data;
    expect(events.series.at(-1)![0]).toBeGreaterThanOrEqual(4);
    const streams = (await api.getStreamUsage('server', String(T0 - 3_600_000), undefined, 'Europe/Berlin')).data;
    expect(streams.series.map((p) => p[0])).toEqual([0, 1]);
    const versions = (await api.getStreamUsageSdkversion('server')).data;
    expect(versions.sdkVersions).toHaveLength(1);
    expect(versions.sdkVersions[0].sdk).toBe('NodeJSClient');
    const bySdk = (await api.getStreamUsageBySdkVersion('server', undefined, undefined, undefined, 'NodeJSClient', versions.sdkVersions[0].version)).data;
    expect(bySdk.series.at(-1)![0]).toBe(1);

    // MAU: ada, bob and cy (index events).
    const mau = (await api.getMauUsage(undefined, undefined, w.project, 'production', 'server', 'NodeJSClient', undefined, 'sdk')).data;
    expect(mau.metadata).toEqual([{ sdk: 'NodeJSClient' }]);
    expect(mau.series.at(-1)![0]).toBe(3);
    const categories = (await api.getMauUsageByCategory()).data;
    expect(categories.series.at(-1)).toEqual({ time: Date.UTC(2026, 2, 15), 0: 0, 1: 0, 2: 3 });
    expect((await api.getMauSdksByType(undefined, undefined, 'server')).data.sdks).toEqual(['NodeJSClient']);
    // The 17.x client types data export and service connections as SeriesIntervalsRep (`{time, value}` points, an
    // older shape); the spec iterlab follows answers SeriesListRep, as for every other usage figure.
    const dataExport = (await api.getDataExportEventsUsage(undefined, undefined, w.project, 'production')).data as unknown as SeriesList;
    expect(dataExport.series.every((p) => p[0] === 0)).toBe(true);
    expect((await api.getExperimentationKeysUsage(String(MONTH), String(T0), w.project)).data.series).toHaveLength(15);

    // The stream closes after an hour: its minutes are service connection minutes.
    clock.now = T0 + 60 * 60_000;
    sdk.close();
    await vi.waitFor(async () => {
      const connections = (await api.getServiceConnectionUsage(String(Date.UTC(2026, 2, 15)))).data as unknown as SeriesList;
      expect(connections.series.at(-1)![0]).toBe(60);
    });
  });

  it('the client sees LaunchDarkly error bodies', async () => {
    const bad = await clientFailure(api.getStreamUsage('mobile'));
    expect(bad.status).toBe(400);
    expect(bad.data.message).toContain('source');
    const missing = await clientFailure(api.getEvaluationsUsage(w.project, 'production', 'nope'));
    expect(missing.status).toBe(404);
    const noBeta = new AccountUsageBetaApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    expect((await clientFailure(noBeta.getMauUsage())).status).toBe(403);
  });

  it('the newer operations over HTTP', async () => {
    const day15 = Date.UTC(2026, 2, 15);
    const total = await http('/api/v2/usage/total-contexts', { from: day15, projectKey: w.project, groupBy: ['sdkName', 'sdkAppId'] });
    expect(total.status).toBe(200);
    expect(total.body.metadata).toEqual([{ contextKind: 'user', sdkName: 'NodeJSClient', sdkAppId: 'com.example.cafe' }]);
    expect(total.body.series).toEqual([{ time: day15, 0: 3 }]);
    expect((await http('/api/v2/usage/total-mau', { from: day15 })).body.series).toEqual([{ time: day15, 0: 3 }]);
    expect((await http('/api/v2/usage/serverside-contexts', { from: day15 })).body.series).toEqual([{ time: day15, 0: 3 }]);
    expect((await http('/api/v2/usage/clientside-contexts', { from: day15 })).body).toMatchObject({ metadata: [], series: [{ time: day15 }] });
    expect((await http('/api/v2/usage/clientside-mau', { from: day15 })).body.series).toEqual([{ time: day15, 0: 0 }]);
    expect((await http('/api/v2/usage/experimentation-events', { from: day15 })).status).toBe(200);
    const details = await http('/api/v2/usage/sdk-versions/details');
    expect(details.body).toMatchObject([{ name: 'NodeJSClient', type: 'server', projectKey: w.project, environmentKey: 'production', applicationId: 'com.example.cafe', connectionType: 'streaming' }]);
    for (const p of ['errors', 'logs', 'metrics', 'sessions', 'traces']) {
      const res = await http(`/api/v2/usage/observability/${p}`, { from: Math.floor(day15 / 1000) });
      expect(res.body.series, p).toEqual([{ time: day15, 0: 0 }]);
    }
    expect((await http('/api/v2/usage/vega-ai', { granularity: 'monthly' })).body.series).toEqual([{ time: MONTH, 0: 0 }]);
  });

  it("the newest spec's three over HTTP: the runs the AI SDK tracked, every SDK version seen, warehouse export", async () => {
    const ai = initAi(sdk);
    const config = await ai.completionConfig('assistant', { kind: 'user', key: 'ada' }, { enabled: true });
    config.tracker!.trackSuccess();
    config.tracker!.trackTokens({ total: 30, input: 10, output: 20 });
    config.tracker!.trackError();
    await sdk.flush();
    const day15 = Date.UTC(2026, 2, 15);
    await vi.waitFor(async () => expect((await http('/api/v2/usage/ai-runs', { from: day15 })).body.series).toEqual([{ time: day15, 0: 2 }]));
    const bySdk = await http('/api/v2/usage/ai-runs', { from: day15, projectKey: w.project, groupBy: ['sdkName', 'sdkType'] });
    expect(bySdk.body.metadata).toEqual([{ sdkName: 'NodeJSClient', sdkType: 'server' }]);
    const all = await http('/api/v2/usage/sdk-versions/all', { sdkName: 'NodeJSClient' });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject([{ name: 'NodeJSClient', type: 'server', projectKey: w.project, environmentKey: 'production', applicationId: 'com.example.cafe', connectionType: 'streaming' }]);
    expect((await http('/api/v2/usage/warehouse-export', { from: day15, destination: 'snowflake-v2' })).body.series).toEqual([{ time: day15, 0: 0 }]);
  });
});
