import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getHoldout and getHoldoutById: security', () => {
  let s: TestServer;
  let mine: any;
  let theirs: any;
  const path = '/api/v2/projects/proj/environments/production/holdouts';
  const paths = () => [`${path}/mine`, `${path}/id/${mine._id}`];

  beforeAll(async () => {
    s = await startServer();
    const w = await createWorld(s);
    const other = await createWorld(s, 'other');
    mine = (await s.post(path, { name: 'Mine', key: 'mine', holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA)).body;
    theirs = (await s.post('/api/v2/projects/other/environments/production/holdouts', { name: 'Theirs', key: 'theirs', holdoutamount: '10', metrics: [{ key: other.metric }] }, BETA)).body;
    expect(mine._id).toBeDefined();
    expect(theirs._id).toBeDefined();
  });
  afterAll(() => s.close());

  it('403 without LD-API-Version: beta, on both routes', async () => {
    for (const p of paths()) {
      const res = await s.get(p);
      expect(res.status, p).toBe(403);
      expect(res.body).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
      expect((await s.get(p, { headers: { 'LD-API-Version': '20240415' } })).status, p).toBe(403);
    }
  });

  it('401 without a token or with an unknown one, on both routes', async () => {
    for (const p of paths()) {
      const res = await s.get(p, { ...BETA, token: null });
      expect(res.status, p).toBe(401);
      expect(res.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
      expect((await s.get(p, { ...BETA, token: 'api-00000000-0000-0000-0000-000000000000' })).status, p).toBe(401);
    }
  });

  it('every role may read', async () => {
    for (const p of paths()) {
      for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) {
        const res = await s.get(p, { ...BETA, token });
        expect(res.status, p).toBe(200);
        expect(res.body._id).toBe(mine._id);
      }
    }
  });

  it("another project's holdout is not found through this project, by key or by _id", async () => {
    expect((await s.get(`${path}/theirs`, BETA)).status).toBe(404);
    expect((await s.get(`${path}/id/${theirs._id}`, BETA)).status).toBe(404);
    expect((await s.get(`/api/v2/projects/other/environments/production/holdouts/id/${mine._id}`, BETA)).status).toBe(404);
  });

  it('keys and ids that try to escape the path or inject are plain values', async () => {
    for (const [key, status] of [
      ["mine' or '1'='1", 404],
      ['mine%25', 404],
      ['..%2F..%2Fflags', 404],
      ['mine%00', 400],
    ] as const) {
      expect((await s.get(`${path}/${key}`, BETA)).status, key).toBe(status);
      expect((await s.get(`${path}/id/${key}`, BETA)).status, key).toBe(status);
    }
  });
});
