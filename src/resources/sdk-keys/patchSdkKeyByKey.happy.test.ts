// patchSdkKeyByKey: name, description and expiry change, the version rises by one (and `?version=` must match); an
// unchanged body changes nothing. An expiry set on a key stops it at that time, on the SDK routes and for the streams
// the official SDK opened with it, and for a mobile key's mobile streams.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { encodeContext } from '../../../test/support/routes.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { openMobileStream, sdkClient } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('patchSdkKeyByKey', () => {
  let s: TestServer;
  let w: World;
  let clock: number;
  const path = (key: string) => `/api/v2/projects/${w.project}/environments/production/sdk-keys/${key}`;
  beforeEach(async () => {
    clock = Date.now();
    s = await startServer({ listen: true, now: () => clock });
    w = await createWorld(s);
  });
  afterEach(() => s.close());

  it('changes name, description and expiry; the version rises; ?version= must be the current one', async () => {
    const made = (await s.post(`/api/v2/projects/${w.project}/environments/production/sdk-keys`, { key: 'svc', name: 'Service' }, BETA)).body;
    clock += 10;
    const res = await s.patch(`${path('svc')}?version=1`, { name: 'Renamed', description: 'Now described', expiry: clock + 60_000 }, BETA);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...made, name: 'Renamed', description: 'Now described', expiry: clock + 60_000, _version: 2, _updatedAt: clock });
    expect((await s.get(path('svc'), BETA)).body).toEqual(res.body);
    const same = await s.patch(path('svc'), { name: 'Renamed' }, BETA);
    expect(same.body._version).toBe(2);
    const stale = await s.patch(`${path('svc')}?version=1`, { name: 'Stale' }, BETA);
    expect(stale.status).toBe(409);
    expect(stale.body).toEqual({ code: 'optimistic_locking_error', message: 'version: the SDK key "svc" is at version 2, not 1' });
    const entries = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`proj/${w.project}:env/production:sdk-key/svc`)}`)).body.items;
    expect(entries.map((e: { title?: string; name: string }) => e.name)).toEqual(['Renamed', 'Service']);
  });

  it('an expiry stops the key then: its stream ends and it is refused', async () => {
    const value = (await s.post(`/api/v2/projects/${w.project}/environments/production/sdk-keys`, { key: 'expiring', name: 'Expiring' }, BETA)).body.value;
    const client = sdkClient(s.url, value);
    try {
      await client.waitForInitialization({ timeout: 10 });
      expect((await s.patch(path('expiring'), { expiry: clock + 60_000 }, BETA)).status).toBe(200);
      expect((await s.get('/sdk/latest-all', { token: value })).status).toBe(200);
      expect(s.app.sdkStreams.connections).toBe(1);
      clock += 60_000;
      expect((await s.get('/sdk/latest-all', { token: value })).status).toBe(401);
      // The next change (or heartbeat) finds the key expired.
      await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
      await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(0));
    } finally {
      client.close();
    }
  });

  it('a mobile key given an expiry stops then: its mobile stream ends and it is refused', async () => {
    const value = (await s.post(`/api/v2/projects/${w.project}/environments/production/sdk-keys`, { key: 'mobile-expiring', name: 'Mobile', kind: 'mobile' }, BETA)).body.value;
    const context = encodeContext({ kind: 'user', key: 'ada' });
    const { status, ended } = await openMobileStream(s.url, value, context);
    expect(status).toBe(200);
    expect((await s.patch(path('mobile-expiring'), { expiry: clock + 60_000 }, BETA)).status).toBe(200);
    expect((await s.get(`/msdk/evalx/contexts/${context}`, { token: value })).status).toBe(200);
    await vi.waitFor(() => expect(s.app.clientStreams.connections).toBe(1));
    clock += 60_000;
    expect((await s.get(`/msdk/evalx/contexts/${context}`, { token: value })).status).toBe(401);
    await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
    await ended;
    expect(s.app.clientStreams.connections).toBe(0);
  });
});
