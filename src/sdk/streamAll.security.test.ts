// GET /all isolation: an SDK key sees only its own environment, cannot call the REST API, and stops working (its open
// streams ended) once the key is reset or the environment deleted.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

const user = { kind: 'user', key: 'ada' };

describe('GET /all security', () => {
  let s: TestServer;
  let w: World;
  beforeEach(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterEach(() => s.close());

  it('an SDK key is served its own environment only', async () => {
    // createWorld turned the flag on in production only.
    const production = sdkClient(s.url, await sdkKeyOf(s, w.project, 'production'));
    const test = sdkClient(s.url, await sdkKeyOf(s, w.project, 'test'));
    try {
      await production.waitForInitialization({ timeout: 10 });
      await test.waitForInitialization({ timeout: 10 });
      expect((await production.variationDetail(w.flag, user, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' });
      expect((await test.variationDetail(w.flag, user, 'default')).reason).toEqual({ kind: 'OFF' });
      await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/test/on', value: true }]);
      await vi.waitFor(async () => expect((await test.variationDetail(w.flag, user, 'default')).reason).toEqual({ kind: 'FALLTHROUGH' }));
    } finally {
      production.close();
      test.close();
    }
  });

  it('an SDK key is not an access token: the REST API answers 401', async () => {
    const res = await s.get('/api/v2/projects', { token: await sdkKeyOf(s, w.project) });
    expect(res.status).toBe(401);
  });

  it('resetting the SDK key ends the streams opened with the old one; the old key is then refused', async () => {
    const old = await sdkKeyOf(s, w.project);
    const client = sdkClient(s.url, old);
    try {
      await client.waitForInitialization({ timeout: 10 });
      const streams = () => s.app.sdkStreams.connections;
      expect(streams()).toBe(1);
      const reset = await s.post(`/api/v2/projects/${w.project}/environments/production/apiKey`, undefined);
      expect(reset.status).toBe(200);
      // The SDK reconnects with the key it holds, is told it is invalid, and stops.
      await vi.waitFor(() => expect(streams()).toBe(0));
      expect((await s.get('/all', { token: old })).status).toBe(401);
      expect((await s.get('/sdk/latest-all', { token: old })).status).toBe(401);
      expect((await s.get('/sdk/latest-all', { token: reset.body.apiKey })).status).toBe(200);
    } finally {
      client.close();
    }
  });

  it('deleting the environment ends its streams', async () => {
    const client = sdkClient(s.url, await sdkKeyOf(s, w.project, 'test'));
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
