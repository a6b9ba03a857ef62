// The official server-side SDK (@launchdarkly/node-server-sdk) pointed at a test server, and its environment's key.
import http from 'node:http';
import { init, type LDClient, type LDOptions } from '@launchdarkly/node-server-sdk';
import { expect, vi } from 'vitest';
import type { ApiClient } from './fixtures.js';

/** The environment's SDK key, as a user copies it from the REST API. */
export async function sdkKeyOf(s: ApiClient, project: string, env = 'production'): Promise<string> {
  const res = await s.get(`/api/v2/projects/${project}/environments/${env}`);
  return res.body.apiKey as string;
}

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A client on url for sdkKey; the caller closes it. Events off unless options turn them on. */
export function sdkClient(url: string, sdkKey: string, options: LDOptions = {}): LDClient {
  return init(sdkKey, {
    baseUri: url,
    streamUri: url,
    eventsUri: url,
    sendEvents: false,
    diagnosticOptOut: true,
    logger: quiet,
    streamInitialReconnectDelay: 0.05,
    ...options,
  });
}

/**
 * What every server-side SDK stream must follow, whatever its protocol (FDv1 GET /all, FDv2 GET /sdk/stream), as
 * `client` evaluates it: a targeting change, a new flag (off: its off variation), a change of a variation's value,
 * a deletion, and the same key created again below its deletion's version (which only a whole new payload carries).
 * `flag` is left off.
 */
export async function expectFollowsFlagLifecycle(s: ApiClient & { del(path: string): Promise<{ status: number }> }, project: string, flag: string, client: LDClient): Promise<void> {
  const beta = { kind: 'user', key: 'ada', groups: ['beta'] };
  const other = { kind: 'user', key: 'bob' };
  await s.patch(`/api/v2/flags/${project}/${flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
  await vi.waitFor(async () => expect(await client.variationDetail(flag, beta, 'default')).toEqual({ value: false, variationIndex: 1, reason: { kind: 'OFF' } }));

  const created = await s.post(`/api/v2/flags/${project}`, { key: 'banner', name: 'Banner', variations: [{ value: 'red' }, { value: 'blue' }] });
  expect(created.status).toBe(201);
  // A new flag is off in every environment: it serves its off variation.
  await vi.waitFor(async () => expect(await client.variation('banner', other, 'none')).toBe('blue'));
  // Variations are the flag's, not an environment's: changing a value reaches the SDK too.
  await s.patch(`/api/v2/flags/${project}/banner`, [{ op: 'replace', path: '/variations/1/value', value: 'green' }]);
  await vi.waitFor(async () => expect(await client.variation('banner', other, 'none')).toBe('green'));

  expect((await s.del(`/api/v2/flags/${project}/banner`)).status).toBe(204);
  await vi.waitFor(async () => expect((await client.variationDetail('banner', other, 'none')).reason).toEqual({ kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' }));
  // The same key again, at a lower version than the deletion's: SDKs would ignore it as a change, so they are sent everything.
  await s.post(`/api/v2/flags/${project}`, { key: 'banner', name: 'Banner', variations: [{ value: 'cyan' }, { value: 'plum' }] });
  await vi.waitFor(async () => expect(await client.variation('banner', other, 'none')).toBe('plum'));
  expect(await client.variation(flag, other, 'default')).toBe(false);
}

type StreamsServer = ApiClient & {
  url: string;
  del(path: string): Promise<{ status: number }>;
  get(path: string, options?: { token?: string | null }): Promise<{ status: number; body: any }>;
  app: { sdkStreams: { connections: number } };
};

/** Clients on production and test (by `options`' protocol) are each served their own environment, and hear only its changes. */
export async function expectOwnEnvironmentOnly(s: StreamsServer, project: string, flag: string, options: LDOptions = {}): Promise<void> {
  const user = { kind: 'user', key: 'ada' };
  // createWorld turned the flag on in production only.
  const production = sdkClient(s.url, await sdkKeyOf(s, project, 'production'), options);
  const test = sdkClient(s.url, await sdkKeyOf(s, project, 'test'), options);
  try {
    await production.waitForInitialization({ timeout: 10 });
    await test.waitForInitialization({ timeout: 10 });
    expect((await production.variationDetail(flag, user, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' });
    expect((await test.variationDetail(flag, user, 'default')).reason).toEqual({ kind: 'OFF' });
    await s.patch(`/api/v2/flags/${project}/${flag}`, [{ op: 'replace', path: '/environments/test/on', value: true }]);
    await vi.waitFor(async () => expect((await test.variationDetail(flag, user, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' }));
    expect((await production.variationDetail(flag, user, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' });
  } finally {
    production.close();
    test.close();
  }
}

/** Resetting the SDK key ends the streams opened with the old one; the SDK is then refused on it, on every data path. */
export async function expectKeyResetEndsStreams(s: StreamsServer, project: string, options: LDOptions = {}): Promise<void> {
  const old = await sdkKeyOf(s, project);
  const client = sdkClient(s.url, old, options);
  try {
    await client.waitForInitialization({ timeout: 10 });
    // A data system that initializes by polling opens its stream after: waited for.
    await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(1));
    const reset = await s.post(`/api/v2/projects/${project}/environments/production/apiKey`, undefined);
    expect(reset.status).toBe(200);
    // The SDK reconnects with the key it holds, is told it is invalid, and stops.
    await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(0));
    for (const path of ['/all', '/sdk/latest-all', '/sdk/stream', '/sdk/poll']) expect((await s.get(path, { token: old })).status, path).toBe(401);
    expect((await s.get('/sdk/latest-all', { token: reset.body.apiKey })).status).toBe(200);
    expect((await s.get('/sdk/poll', { token: reset.body.apiKey })).status).toBe(200);
  } finally {
    client.close();
  }
}

/** Deleting an environment ends its streams. */
export async function expectEnvironmentDeletionEndsStreams(s: StreamsServer, project: string, options: LDOptions = {}): Promise<void> {
  const client = sdkClient(s.url, await sdkKeyOf(s, project, 'test'), options);
  try {
    await client.waitForInitialization({ timeout: 10 });
    // A data system that initializes by polling opens its stream after: waited for.
    await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(1));
    expect((await s.del(`/api/v2/projects/${project}/environments/test`)).status).toBe(204);
    await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(0));
  } finally {
    client.close();
  }
}

/**
 * A mobile SDK's stream (`GET /meval/{context}`) opened with mobileKey, read and discarded: its status, and a promise
 * that resolves when the server ends it. The caller's server closes it at the latest.
 */
export async function openMobileStream(url: string, mobileKey: string, context: string): Promise<{ status: number | undefined; ended: Promise<void> }> {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(`${url}/meval/${context}`, { headers: { authorization: mobileKey } }, resolve).on('error', reject);
  });
  const ended = new Promise<void>((resolve) => response.on('end', resolve).on('close', resolve));
  response.resume();
  return { status: response.statusCode, ended };
}
