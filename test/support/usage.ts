// A project whose SDKs send traffic, for the account usage operations: `shop` (production and test) and `labs`
// (production), the flag `checkout` (true/false), on a server whose clock the test moves; the SDK requests are sent
// as the SDKs send them (their keys, their user agents), and the usage calls carry `LD-API-Version: beta`.
import { expect } from 'vitest';
import { startServer, type RequestOptions, type Response, type TestServer } from './server.js';

export interface UsageWorld {
  s: TestServer;
  /** The server's clock (epoch ms); tests move it. */
  clock: { now: number };
  /** Each environment by `project/env`: its `_id` (client-side ID), SDK key and mobile key. */
  env: Record<string, { id: string; sdkKey: string; mobileKey: string }>;
  projectId: Record<string, string>;
  /** A usage call with `LD-API-Version: beta` (admin token unless told); `query` values repeat as arrays. */
  usage: (path: string, query?: Record<string, string | number | (string | number)[]>, options?: RequestOptions) => Promise<Response>;
  /** An events payload to the environment as a server-side SDK (SDK key), browser (client-side ID) or mobile SDK (mobile key) sends it. */
  send: (env: string, events: unknown[], sdk?: { kind?: 'server' | 'browser' | 'mobile'; userAgent?: string }) => Promise<void>;
}

export const BETA = { 'LD-API-Version': 'beta' };

export function queryString(query: Record<string, string | number | (string | number)[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  const text = params.toString();
  return text ? `?${text}` : '';
}

export async function usageWorld(t0 = Date.UTC(2026, 2, 15, 10, 30), options: { listen?: boolean } = {}): Promise<UsageWorld> {
  const clock = { now: t0 };
  const s = await startServer({ now: () => clock.now, listen: options.listen });
  const env: UsageWorld['env'] = {};
  const projectId: Record<string, string> = {};
  for (const [key, environments] of [
    ['shop', ['production', 'test']],
    ['labs', ['production']],
  ] as const) {
    const made = await s.post('/api/v2/projects', { key, name: key, environments: environments.map((e) => ({ key: e, name: e, color: '000000' })) });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    projectId[key] = made.body._id;
    for (const e of made.body.environments) env[`${key}/${e.key}`] = { id: e._id, sdkKey: e.apiKey, mobileKey: e.mobileKey };
  }
  expect((await s.post('/api/v2/flags/shop', { key: 'checkout', name: 'Checkout', variations: [{ value: true, name: 'On' }, { value: false }] })).status).toBe(201);
  const usage: UsageWorld['usage'] = (path, query = {}, opts = {}) => s.get(`${path}${queryString(query)}`, { ...opts, headers: { ...BETA, ...opts.headers } });
  const send: UsageWorld['send'] = async (at, events, sdk = {}) => {
    const e = env[at];
    const headers = { 'user-agent': sdk.userAgent ?? 'NodeJSClient/9.7.1', 'content-type': 'application/json' };
    const res =
      sdk.kind === 'browser'
        ? await s.post(`/events/bulk/${e.id}`, events, { token: null, headers })
        : sdk.kind === 'mobile'
          ? await s.post('/mobile/events/bulk', events, { token: e.mobileKey, headers })
          : await s.post('/bulk', events, { token: e.sdkKey, headers });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
  };
  return { s, clock, env, projectId, usage, send };
}

/** A user context, or one of `kind`. */
export const ctx = (key: string, kind = 'user', anonymous = false) => ({ kind, key, ...(anonymous ? { anonymous: true } : {}) });

/** A summary event counting evaluations of flags: `{flag: {variation: count}}`. */
export function summary(counts: Record<string, Record<number, number>>, at: number): Record<string, unknown> {
  return {
    kind: 'summary',
    startDate: at - 1000,
    endDate: at,
    features: Object.fromEntries(
      Object.entries(counts).map(([flag, byVariation]) => [
        flag,
        { default: false, counters: Object.entries(byVariation).map(([variation, count]) => ({ variation: Number(variation), value: Number(variation) === 0, version: 1, count })) },
      ]),
    ),
  };
}

/** The figures of series `i` (its values in time order). */
export const column = (body: { series: Record<string, number>[] }, i = 0) => body.series.map((point) => point[String(i)]);

/** The index of the series whose metadata has these labels. */
export function seriesOf(body: { metadata: Record<string, unknown>[] }, labels: Record<string, unknown>): number {
  const i = body.metadata.findIndex((m) => Object.entries(labels).every(([k, v]) => m[k] === v));
  expect(i, `no series ${JSON.stringify(labels)} in ${JSON.stringify(body.metadata)}`).toBeGreaterThanOrEqual(0);
  return i;
}
