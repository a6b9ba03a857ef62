// GET /api/v2/versions with the official client's OtherApi: the valid versions in ascending order, the latest, and
// the one the request uses: its LD-API-Version header, else its token's default; beta is the latest, marked beta.
import { Configuration, OtherApi } from 'launchdarkly-api-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getVersions', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ listen: true });
  });
  afterAll(() => s.close());

  it('the versions, the latest, and the current one by the token\'s default', async () => {
    const { status, data } = await new OtherApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url })).getVersions();
    expect(status).toBe(200);
    expect(data).toEqual({ validVersions: [20160426, 20191212, 20210729, 20220603, 20240415], latestVersion: 20240415, currentVersion: 20240415, beta: false });
  });

  it('the header chooses the current version; beta reads as the latest', async () => {
    expect((await s.get('/api/v2/versions', { headers: { 'LD-API-Version': '20191212' } })).body).toMatchObject({ currentVersion: 20191212, beta: false });
    expect((await s.get('/api/v2/versions', { headers: { 'LD-API-Version': 'beta' } })).body).toMatchObject({ currentVersion: 20240415, beta: true });
  });

  it('a token made with an older default version reports it', async () => {
    const token = await s.post('/api/v2/tokens', { name: 'old client', role: 'reader', defaultApiVersion: 20210729 });
    expect(token.status).toBe(201);
    expect((await s.get('/api/v2/versions', { token: token.body.token })).body.currentVersion).toBe(20210729);
  });
});
