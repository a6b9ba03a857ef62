// getSdkKeyByKey: the key as created (its value too), for every role; an expired key is still shown, with its expiry.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const BETA = { 'LD-API-Version': 'beta' };

describe('getSdkKeyByKey', () => {
  let s: TestServer;
  let w: World;
  let clock = 1_800_000_000_000;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    w = await createWorld(s);
  });
  afterAll(() => s.close());

  it('reads the key as created, with any token', async () => {
    const made = (await s.post(`/api/v2/projects/${w.project}/environments/production/sdk-keys`, { key: 'read-me', name: 'Read me', kind: 'mobile' }, { headers: BETA })).body;
    for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) {
      const res = await s.get(`/api/v2/projects/${w.project}/environments/production/sdk-keys/read-me`, { token, headers: BETA });
      expect(res.status).toBe(200);
      expect(res.body).toEqual(made);
    }
  });

  it('an expired key is still shown, and refused by the SDK routes', async () => {
    const made = (await s.post(`/api/v2/projects/${w.project}/environments/production/sdk-keys`, { key: 'short-lived', name: 'Short', expiry: clock + 1000 }, { headers: BETA })).body;
    clock += 1000;
    const res = await s.get(`/api/v2/projects/${w.project}/environments/production/sdk-keys/short-lived`, { headers: BETA });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ key: 'short-lived', expiry: made.expiry, value: made.value });
    expect((await s.get('/sdk/latest-all', { token: made.value })).status).toBe(401);
  });
});
