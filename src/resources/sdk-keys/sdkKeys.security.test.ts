// Who may manage SDK keys: writers and admins write (as resetting an environment's keys asks), every role reads; custom roles need
// createSdkKey, updateSdkKey, deleteSdkKey on `proj/p:env/e:sdk-key/k` (iterlab's names: LaunchDarkly documents none).
// A key opens only its own environment, and never the REST API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused, expectWriters } from '../../../test/support/digest.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { 'LD-API-Version': 'beta' };

describe('SDK keys: security', () => {
  let s: TestServer;
  let w: World;
  let keys: string;
  let value: string;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    keys = `/api/v2/projects/${w.project}/environments/production/sdk-keys`;
    value = (await s.post(keys, { key: 'existing', name: 'Existing' }, { headers: BETA })).body.value;
  });
  afterAll(() => s.close());

  const writes = (token: string | null) => [
    () => s.post(keys, { key: 'new-one', name: 'New' }, { token, headers: BETA }),
    () => s.patch(`${keys}/existing`, { name: 'Renamed' }, { token, headers: BETA }),
    () => s.del(`${keys}/existing`, { token, headers: BETA }),
  ];

  it('writes are for writers and admins: readers 403, no token or an unknown one 401, nothing changed', async () => {
    for (let i = 0; i < 3; i++) await expectWriters(s, (token) => writes(token)[i]());
    const writer = { token: s.tokens.writer, headers: BETA };
    expect((await s.post(keys, { key: 'by-writer', name: 'By a writer' }, writer)).status).toBe(201);
    expect((await s.patch(`${keys}/by-writer`, { name: 'Renamed' }, writer)).status).toBe(200);
    expect((await s.del(`${keys}/by-writer`, writer)).status).toBe(204);
  });

  it('reads need a token of any role', async () => {
    expect((await s.get(`${keys}/existing`, { token: s.tokens.reader, headers: BETA })).status).toBe(200);
    await expectRefused(s.store, () => s.get(`${keys}/existing`, { token: null, headers: BETA }), 401, 'unauthorized');
  });

  it('custom roles: each write needs its action on the key; viewing the project reads it', async () => {
    // Every route of a project also asks viewProject on it.
    const role = async (resources: string[], actions: string[]) =>
      (await s.post('/api/v2/tokens', { name: actions.join() || 'none', inlineRole: [{ effect: 'allow', resources: [`proj/${w.project}`], actions: ['viewProject'] }, { effect: 'allow', resources, actions }] })).body.token as string;
    const creator = await role([`proj/${w.project}:env/production:sdk-key/*`], ['createSdkKey']);
    expect((await s.post(keys, { key: 'by-role', name: 'By role' }, { token: creator, headers: BETA })).status).toBe(201);
    await expectRefused(s.store, () => s.post(`/api/v2/projects/${w.project}/environments/test/sdk-keys`, { key: 'by-role', name: 'X' }, { token: creator, headers: BETA }), 403, 'forbidden', /createSdkKey/);
    for (const send of writes(creator).slice(1)) await expectRefused(s.store, send, 403, 'forbidden');
    const onlyThisKey = await role([`proj/${w.project}:env/production:sdk-key/by-role`], ['updateSdkKey', 'deleteSdkKey']);
    await expectRefused(s.store, () => s.patch(`${keys}/existing`, { name: 'X' }, { token: onlyThisKey, headers: BETA }), 403, 'forbidden', /updateSdkKey/);
    expect((await s.patch(`${keys}/by-role`, { name: 'Renamed' }, { token: onlyThisKey, headers: BETA })).status).toBe(200);
    expect((await s.del(`${keys}/by-role`, { token: onlyThisKey, headers: BETA })).status).toBe(204);
    const viewer = await role([`proj/${w.project}`], ['viewProject']);
    expect((await s.get(`${keys}/existing`, { token: viewer, headers: BETA })).status).toBe(200);
  });

  it('a key is no access token, and opens no other environment', async () => {
    await expectRefused(s.store, () => s.get(`/api/v2/projects/${w.project}`, { token: value }), 401, 'unauthorized');
    // createWorld turned the flag on in production only: each key is served its own environment's targeting.
    const testValue = (await s.post(`/api/v2/projects/${w.project}/environments/test/sdk-keys`, { key: 'existing', name: 'Test' }, { headers: BETA })).body.value;
    expect((await s.get('/sdk/latest-all', { token: value })).body.flags[w.flag].on).toBe(true);
    expect((await s.get('/sdk/latest-all', { token: testValue })).body.flags[w.flag].on).toBe(false);
  });
});
