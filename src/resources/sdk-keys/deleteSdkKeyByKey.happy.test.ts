// deleteSdkKeyByKey: 204; the key stops working at once on every SDK route (server-side and mobile), the official
// SDK's stream opened with it ends and a new client with it cannot initialize; the environment's own keys and the
// other added keys go on working. Deleting the environment deletes its keys.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { encodeContext } from '../../../test/support/routes.js';
import { openMobileStream, sdkClient, sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('deleteSdkKeyByKey', () => {
  let s: TestServer;
  let w: World;
  const keys = `/api/v2/projects/proj/environments/production/sdk-keys`;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('the deleted key is refused; the stream the official SDK opened with it ends; a new client cannot initialize', async () => {
    const value = (await s.post(keys, { key: 'doomed', name: 'Doomed' }, BETA)).body.value;
    const kept = (await s.post(keys, { key: 'kept', name: 'Kept' }, BETA)).body.value;
    const client = sdkClient(s.url, value);
    const keeper = sdkClient(s.url, kept);
    try {
      await client.waitForInitialization({ timeout: 10 });
      await keeper.waitForInitialization({ timeout: 10 });
      expect(await client.variation(w.flag, { kind: 'user', key: 'ada' }, 'default')).toBe(true);
      expect(s.app.sdkStreams.connections).toBe(2);
      const res = await s.del(`${keys}/doomed`, BETA);
      expect(res.status).toBe(204);
      await vi.waitFor(() => expect(s.app.sdkStreams.connections).toBe(1));
      for (const send of [() => s.get('/sdk/latest-all', { token: value }), () => s.post('/bulk', [{ kind: 'custom', key: 'k', creationDate: 1 }], { token: value })]) {
        const refused = await send();
        expect(refused.status).toBe(401);
        expect(refused.body.code).toBe('unauthorized');
      }
      expect((await s.get(`${keys}/doomed`, BETA)).status).toBe(404);
      expect((await s.get('/sdk/latest-all', { token: kept })).status).toBe(200);
      expect((await s.get('/sdk/latest-all', { token: await sdkKeyOf(s, w.project) })).status).toBe(200);
      // The kept key's stream follows changes still.
      await s.patch(`/api/v2/flags/${w.project}/${w.flag}`, [{ op: 'replace', path: '/environments/production/on', value: false }]);
      await vi.waitFor(async () => expect(await keeper.variation(w.flag, { kind: 'user', key: 'ada' }, 'default')).toBe(false));
    } finally {
      client.close();
      keeper.close();
    }
    const late = sdkClient(s.url, value);
    try {
      await expect(late.waitForInitialization({ timeout: 5 })).rejects.toThrow();
    } finally {
      late.close();
    }
  });

  it('a deleted mobile key is refused, and the mobile stream opened with it ends', async () => {
    const value = (await s.post(keys, { key: 'mobile-doomed', name: 'Mobile', kind: 'mobile' }, BETA)).body.value;
    const context = encodeContext({ kind: 'user', key: 'ada' });
    const { status, ended } = await openMobileStream(s.url, value, context);
    expect(status).toBe(200);
    await vi.waitFor(() => expect(s.app.clientStreams.connections).toBe(1));
    expect((await s.del(`${keys}/mobile-doomed`, BETA)).status).toBe(204);
    await ended;
    expect((await s.get(`/msdk/evalx/contexts/${context}`, { token: value })).status).toBe(401);
  });

  it("deleting the environment deletes its keys", async () => {
    const value = (await s.post(`/api/v2/projects/${w.project}/environments/test/sdk-keys`, { key: 'gone-with-env', name: 'Gone' }, BETA)).body.value;
    expect((await s.get('/sdk/latest-all', { token: value })).status).toBe(200);
    expect((await s.del(`/api/v2/projects/${w.project}/environments/test`)).status).toBe(204);
    expect((await s.get('/sdk/latest-all', { token: value })).status).toBe(401);
    expect(await s.store.db.selectFrom('sdk_keys').select('key').where('key', '=', 'gone-with-env').execute()).toEqual([]);
  });
});
