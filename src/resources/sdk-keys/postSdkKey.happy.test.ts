// postSdkKey, driven as a generated client would (JSON bodies, the spec's field names, LD-API-Version: beta): 201 with
// the key and its value, which the official server-side SDK (@launchdarkly/node-server-sdk) then uses for the
// environment exactly as the environment's own key (streaming, polling, events); a mobile key opens the mobile routes.
// The environment's own keys are left as they were, and resetting them leaves the added keys working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { encodeContext } from '../../../test/support/routes.js';
import { sdkClient } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };
const NOW = 1_800_000_000_000;

describe('postSdkKey', () => {
  let s: TestServer;
  let w: World;
  const keys = (env = 'production') => `/api/v2/projects/${w.project}/environments/${env}/sdk-keys`;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => NOW });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('creates a server-side key: 201 with every field; the environment keeps its own keys', async () => {
    const before = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body;
    const res = await s.post(keys(), { key: 'checkout-service', name: 'Checkout service', description: 'Used by checkout', expiry: NOW + 86_400_000 }, BETA);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      _links: {
        parent: { href: `/api/v2/projects/${w.project}/environments/production`, type: 'application/json' },
        self: { href: `/api/v2/projects/${w.project}/environments/production/sdk-keys/checkout-service`, type: 'application/json' },
      },
      kind: 'sdk',
      key: 'checkout-service',
      name: 'Checkout service',
      description: 'Used by checkout',
      expiry: NOW + 86_400_000,
      value: expect.stringMatching(/^sdk-[0-9a-f-]{36}$/),
      isDefault: false,
      _createdByMemberId: s.deps.accountId,
      _createdAt: NOW,
      _updatedAt: NOW,
      _version: 1,
    });
    expect(res.body.value).not.toBe(before.apiKey);
    const after = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body;
    expect([after.apiKey, after.mobileKey]).toEqual([before.apiKey, before.mobileKey]);
    const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`proj/${w.project}:env/production:sdk-key/checkout-service`)}`)).body.items[0];
    expect(entry).toMatchObject({ kind: 'sdk-key', name: 'Checkout service' });
    expect(JSON.stringify((await s.get(`/api/v2/auditlog/${entry._id}`)).body)).not.toContain(res.body.value);
  });

  it('the official server-side SDK initializes with the new key, streams and evaluates the environment, and sends events', async () => {
    const made = await s.post(keys(), { key: 'sdk-client', name: 'SDK client' }, BETA);
    expect(made.body).toMatchObject({ kind: 'sdk', isDefault: false });
    expect(made.body).not.toHaveProperty('expiry');
    const value = made.body.value as string;
    const client = sdkClient(s.url, value);
    try {
      await client.waitForInitialization({ timeout: 10 });
      const beta = { kind: 'user', key: 'ada', groups: ['beta'] };
      expect(await client.variationDetail(w.flag, beta, 'default')).toMatchObject({ value: true, reason: { kind: 'RULE_MATCH' } });
      expect(s.app.sdkStreams.connections).toBe(1);
    } finally {
      client.close();
    }
    const polling = sdkClient(s.url, value, { stream: false });
    try {
      await polling.waitForInitialization({ timeout: 10 });
      expect(await polling.variation(w.flag, { kind: 'user', key: 'bob' }, 'default')).toBe(true);
    } finally {
      polling.close();
    }
    expect((await s.get('/sdk/latest-all', { token: value })).status).toBe(200);
    expect((await s.post('/bulk', [{ kind: 'custom', key: 'checkout', contextKeys: { user: 'ada' }, creationDate: NOW }], { token: value })).status).toBe(202);
    // A key of another environment's: that environment's flags (the flag is off in test).
    const other = (await s.post(keys('test'), { key: 'sdk-client', name: 'Same key, other environment' }, BETA)).body.value;
    const test = sdkClient(s.url, other);
    try {
      await test.waitForInitialization({ timeout: 10 });
      expect((await test.variationDetail(w.flag, { kind: 'user', key: 'ada' }, 'default')).reason).toEqual({ kind: 'OFF' });
    } finally {
      test.close();
    }
  });

  it('a mobile key opens the mobile routes (not the server-side ones), as the environment mobile key does', async () => {
    const res = await s.post(keys(), { key: 'ios-app', name: 'iOS app', kind: 'mobile' }, BETA);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'mobile', value: expect.stringMatching(/^mob-/) });
    const context = encodeContext({ kind: 'user', key: 'ada', groups: ['beta'] });
    const env = (await s.get(`/api/v2/projects/${w.project}/environments/production`)).body;
    const byOwn = await s.get(`/msdk/evalx/contexts/${context}`, { token: env.mobileKey });
    const byAdded = await s.get(`/msdk/evalx/contexts/${context}`, { token: res.body.value });
    expect(byAdded.status).toBe(200);
    expect(byAdded.body).toEqual(byOwn.body);
    expect((await s.get('/sdk/latest-all', { token: res.body.value })).status).toBe(401);
    const serverKey = (await s.post(keys(), { key: 'server-only', name: 'Server' }, BETA)).body.value;
    expect((await s.get(`/msdk/evalx/contexts/${context}`, { token: serverKey })).status).toBe(401);
  });

  it("resetting the environment's own keys leaves the added keys working", async () => {
    const sdk = (await s.post(keys(), { key: 'survives-reset', name: 'Survives' }, BETA)).body.value;
    const mobile = (await s.post(keys(), { key: 'mobile-survives-reset', name: 'Survives', kind: 'mobile' }, BETA)).body.value;
    expect((await s.post(`/api/v2/projects/${w.project}/environments/production/apiKey`, undefined)).status).toBe(200);
    expect((await s.post(`/api/v2/projects/${w.project}/environments/production/mobileKey`, undefined)).status).toBe(200);
    expect((await s.get('/sdk/latest-all', { token: sdk })).status).toBe(200);
    expect((await s.get(`/msdk/evalx/contexts/${encodeContext({ kind: 'user', key: 'u' })}`, { token: mobile })).status).toBe(200);
  });
});
