// sdk-active (ldcli's `environments get-sdk-active`): whether an environment's SDKs were active in the last seven
// days, from what iterlab counted of their traffic: an SDK's start (its diagnostic-init, naming the SDK and its
// wrapper), its streams, its events; with purpose=ai, the generations an AI SDK tracked.
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sdkClient } from '../../../test/support/sdk.js';
import { ctx, queryString, summary, usageWorld, type UsageWorld } from '../../../test/support/usage.js';

const DAY = 86_400_000;

describe('getSdkActive: happy path', () => {
  let u: UsageWorld;
  let client: LDClient | undefined;
  beforeAll(async () => {
    u = await usageWorld(Date.UTC(2026, 2, 15, 10, 30), { listen: true });
  });
  afterAll(async () => {
    client?.close();
    await u.s.close();
  });

  /** The answer ldcli reads, for `project/env` and its query. */
  const active = async (at: string, query: Record<string, string> = {}) => {
    const [project, env] = at.split('/');
    const res = await u.s.get(`/api/v2/projects/${project}/environments/${env}/sdk-active${queryString(query)}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(Object.keys(res.body)).toEqual(['active']);
    return res.body.active as boolean;
  };
  const diagnostic = async (at: string, body: unknown) => {
    const res = await u.s.post('/diagnostic', body, { token: u.env[at].sdkKey, headers: { 'user-agent': 'GoClient/7.4.0' } });
    expect(res.status).toBe(202);
  };

  it('an SDK starting (diagnostic-init) makes its environment active, by its name and wrapper, for seven days', async () => {
    expect(await active('shop/production')).toBe(false);
    // The periodic diagnostic events name no SDK and count nothing.
    await diagnostic('shop/production', { kind: 'diagnostic', id: { diagnosticId: 'd1', sdkKeySuffix: 'abcdef' }, creationDate: u.clock.now });
    expect(await active('shop/production')).toBe(false);
    await diagnostic('shop/production', {
      kind: 'diagnostic-init',
      id: { diagnosticId: 'd1', sdkKeySuffix: 'abcdef' },
      creationDate: u.clock.now,
      sdk: { name: 'go-server-sdk', version: '7.4.0', wrapperName: 'OpenFeature', wrapperVersion: '0.2.0' },
      configuration: {},
      platform: { name: 'Go' },
    });
    expect(await active('shop/production')).toBe(true);
    expect(await active('shop/production', { sdk_name: 'go-server-sdk' })).toBe(true);
    expect(await active('shop/production', { sdk_name: 'Go-Server-SDK' })).toBe(true);
    expect(await active('shop/production', { sdk_name: 'node-server-sdk' })).toBe(false);
    expect(await active('shop/production', { sdk_wrapper_name: 'OpenFeature' })).toBe(true);
    expect(await active('shop/production', { sdk_name: 'go-server-sdk', sdk_wrapper_name: 'react' })).toBe(false);
    // Another environment, another project: nothing seen there.
    expect(await active('shop/test')).toBe(false);
    expect(await active('labs/production')).toBe(false);
    // Seven days on it still counts; eight days on it no longer does.
    u.clock.now += 7 * DAY - 3_600_000;
    expect(await active('shop/production', { sdk_name: 'go-server-sdk' })).toBe(true);
    u.clock.now += 2 * DAY;
    expect(await active('shop/production')).toBe(false);
  });

  it('events an SDK sent make it active (by its user agent: events name no wrapper); purpose=ai asks for AI SDK activity', async () => {
    await u.send('shop/test', [{ kind: 'index', creationDate: u.clock.now, context: ctx('ada') }, summary({ checkout: { 0: 1 } }, u.clock.now)], { userAgent: 'NodeJSClient/9.7.1' });
    expect(await active('shop/test')).toBe(true);
    expect(await active('shop/test', { sdk_name: 'NodeJSClient' })).toBe(true);
    expect(await active('shop/test', { sdk_name: 'go-server-sdk' })).toBe(false);
    expect(await active('shop/test', { sdk_wrapper_name: 'OpenFeature' })).toBe(false);
    expect(await active('shop/test', { purpose: 'ai' })).toBe(false);
    // "Any other value, or none, keeps the existing behavior."
    expect(await active('shop/test', { purpose: 'flags' })).toBe(true);
    await u.send('shop/test', [{ kind: 'custom', key: '$ld:ai:generation:success', creationDate: u.clock.now, context: ctx('ada') }]);
    expect(await active('shop/test', { purpose: 'ai' })).toBe(true);
    expect(await active('shop/test', { purpose: 'ai', sdk_name: 'NodeJSClient' })).toBe(true);
  });

  it("the official Node SDK, as it starts with its diagnostics on, streams and sends events, is active by its own name and wrapper", async () => {
    expect(await active('labs/production')).toBe(false);
    client = sdkClient(u.s.url, u.env['labs/production'].sdkKey, { sendEvents: true, diagnosticOptOut: false, wrapperName: 'openfeature-node', wrapperVersion: '1.0.0' });
    await client.waitForInitialization({ timeout: 10 });
    await vi.waitFor(async () => expect(await active('labs/production', { sdk_name: 'node-server-sdk', sdk_wrapper_name: 'openfeature-node' })).toBe(true), { timeout: 10_000 });
    // It names itself @launchdarkly/node-server-sdk; with or without the scope, it is that SDK.
    expect(await active('labs/production', { sdk_name: '@launchdarkly/node-server-sdk' })).toBe(true);
    // By its user agent: its stream's count, which the server writes after answering, in a transaction of its own
    // that may commit after the diagnostic's (CI once read it before it had).
    await vi.waitFor(async () => expect(await active('labs/production', { sdk_name: 'NodeJSClient' })).toBe(true), { timeout: 10_000 });
    expect(await active('labs/production', { sdk_name: 'server-sdk' })).toBe(false);
  });
});
