// GET /sdk/stream isolation: an SDK key's FDv2 stream carries its own environment only, and ends once the key is
// reset or the environment deleted; the SDK is then refused on the old key.
import type { LDOptions } from '@launchdarkly/node-server-sdk';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const user = { kind: 'user', key: 'ada' };
const streamingOnly = { dataSystem: { dataSource: { dataSourceOptionsType: 'streamingOnly', streamInitialReconnectDelay: 0.05 } } } as LDOptions;

describe('GET /sdk/stream security', () => {
  let s: TestServer;
  let w: World;
  beforeEach(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterEach(() => s.close());

  it('an SDK key is served its own environment only, and hears only its own environment\'s changes', async () => {
    const production = sdkClient(s.url, await sdkKeyOf(s, w.project, 'production'), streamingOnly);
    const test = sdkClient(s.url, await sdkKeyOf(s, w.project, 'test'), streamingOnly);
    try {
      await production.waitForInitialization({ timeout: 10 });
      await test.waitForInitialization({ timeout: 10 });
      expect((await production.variationDetail(w.flag, user, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' });
      expect((await test.variationDetail(w.flag, user, 'default')).reason).toEqual({ kind: 'OFF' });
      await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/test/on', value: true }]);
      await vi.waitFor(async () => expect((await test.variationDetail(w.flag, user, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' }));
      expect((await production.variationDetail(w.flag, user, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' });
    } finally {
      production.close();
      test.close();
    }
  });

  it('resetting the SDK key ends the FDv2 streams opened with the old one; the old key is then refused', async () => {
    const old = await sdkKeyOf(s, w.project);
    const client = sdkClient(s.url, old, streamingOnly);
    try {
      await client.waitForInitialization({ timeout: 10 });
      expect(s.app.sdkStreams.connections).toBe(1);
      const reset = await s.post(`/api/v2/projects/${w.project}/environments/production/apiKey`, undefined);
      expect(reset.status).toBe(200);
      await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(0));
      expect((await s.get('/sdk/stream', { token: old })).status).toBe(401);
      expect((await s.get('/sdk/poll', { token: old })).status).toBe(401);
      expect((await s.get('/sdk/poll', { token: reset.body.apiKey })).status).toBe(200);
    } finally {
      client.close();
    }
  });

  it('deleting the environment ends its FDv2 streams', async () => {
    const client = sdkClient(s.url, await sdkKeyOf(s, w.project, 'test'), streamingOnly);
    try {
      await client.waitForInitialization({ timeout: 10 });
      expect(s.app.sdkStreams.connections).toBe(1);
      expect((await s.del(`/api/v2/projects/${w.project}/environments/test`)).status).toBe(204);
      await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(0));
    } finally {
      client.close();
    }
  });
});
