// resetEnvironmentSDKKey with `expiry`: until then the old key works beside the new one, for polling, streaming and
// events; at expiry it stops, and the streams opened with it end. Without an expiry it stops at once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createWorld, type World } from '../../test/support/fixtures.js';
import { sdkClient, sdkKeyOf } from '../../test/support/sdk.js';
import { startServer, type TestServer } from '../../test/support/server.js';

describe('an SDK key reset with an expiry', () => {
  let s: TestServer;
  let w: World;
  let clock: number;
  const reset = (query = '') => s.post(`/api/v2/projects/${w.project}/environments/production/apiKey${query}`, undefined);

  beforeEach(async () => {
    clock = Date.now();
    s = await startServer({ listen: true, now: () => clock });
    w = await createWorld(s);
  });
  afterEach(() => s.close());

  it('works beside the new key until the expiry, then is refused', async () => {
    const old = await sdkKeyOf(s, w.project);
    const res = await reset(`?expiry=${clock + 60_000}`);
    expect(res.status).toBe(200);
    const fresh = res.body.apiKey as string;
    for (const key of [old, fresh]) {
      expect((await s.get('/sdk/latest-all', { token: key })).status).toBe(200);
      expect((await s.post('/bulk', [{ kind: 'custom', key: 'k', creationDate: 1 }], { token: key })).status).toBe(202);
    }
    clock += 60_000;
    expect((await s.get('/sdk/latest-all', { token: old })).status).toBe(401);
    expect((await s.get('/sdk/latest-all', { token: fresh })).status).toBe(200);
  });

  it('a stream opened with the old key stays open and follows changes until the expiry, then ends', async () => {
    const client = sdkClient(s.url, await sdkKeyOf(s, w.project));
    try {
      await client.waitForInitialization({ timeout: 10 });
      expect((await reset(`?expiry=${clock + 60_000}`)).status).toBe(200);
      await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
      await vi.waitFor(async () => expect(await client.variation(w.flag, { kind: 'user', key: 'ada' }, 'default')).toBe(false));
      expect(s.app.sdkStreams.connections).toBe(1);
      clock += 60_000;
      // The next change (or the heartbeat) finds the key expired.
      await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: true }]);
      await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(0));
    } finally {
      client.close();
    }
  });

  it('an expiry now or past, or none, retires the key at once', async () => {
    for (const query of ['', `?expiry=${clock}`, `?expiry=${clock - 1}`]) {
      const old = await sdkKeyOf(s, w.project);
      expect((await reset(query)).status).toBe(200);
      expect((await s.get('/sdk/latest-all', { token: old })).status, query).toBe(401);
    }
  });

  it('deleting the environment ends the old key too', async () => {
    const old = await sdkKeyOf(s, w.project, 'test');
    expect((await s.post(`/api/v2/projects/${w.project}/environments/test/apiKey?expiry=${clock + 60_000}`, undefined)).status).toBe(200);
    expect((await s.get('/sdk/latest-all', { token: old })).status).toBe(200);
    expect((await s.del(`/api/v2/projects/${w.project}/environments/test`)).status).toBe(204);
    expect((await s.get('/sdk/latest-all', { token: old })).status).toBe(401);
  });
});
