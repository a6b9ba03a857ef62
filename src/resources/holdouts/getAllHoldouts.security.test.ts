import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getAllHoldouts: security', () => {
  let s: TestServer;
  let w: World;
  const path = '/api/v2/projects/proj/environments/production/holdouts';

  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    const other = await createWorld(s, 'other');
    expect((await s.post(path, { name: 'Mine', key: 'mine', holdoutamount: '10', metrics: [{ key: w.metric }] }, BETA)).status).toBe(201);
    const theirs = await s.post('/api/v2/projects/other/environments/production/holdouts', { name: 'Theirs', key: 'theirs', holdoutamount: '10', metrics: [{ key: other.metric }] }, BETA);
    expect(theirs.status).toBe(201);
  });
  afterAll(() => s.close());

  it('403 without LD-API-Version: beta, whatever other version is sent', async () => {
    const none = await s.get(path);
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ code: 'forbidden', message: 'Forbidden. This is a beta resource: send the header LD-API-Version: beta' });
    expect((await s.get(path, { headers: { 'LD-API-Version': '20240415' } })).status).toBe(403);
  });

  it('401 without a token or with an unknown one', async () => {
    const none = await s.get(path, { ...BETA, token: null });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.get(path, { ...BETA, token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
  });

  it('every role may read', async () => {
    for (const token of [s.tokens.reader, s.tokens.writer, s.tokens.admin]) {
      const res = await s.get(path, { ...BETA, token });
      expect(res.status).toBe(200);
      expect(res.body.items.map((h: any) => h.key)).toEqual(['mine']);
    }
  });

  it("lists only the project's and environment's own holdouts", async () => {
    expect((await s.get('/api/v2/projects/other/environments/production/holdouts', BETA)).body.items.map((h: any) => h.key)).toEqual(['theirs']);
    expect((await s.get('/api/v2/projects/proj/environments/test/holdouts', BETA)).body).toMatchObject({ items: [], total_count: 0 });
  });

  it('query parameters are values, not SQL', async () => {
    const res = await s.get(`${path}?limit=${encodeURIComponent('1; drop table holdouts')}`, BETA);
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ attribute: 'limit', reason: 'must be an integer' }]);
    expect((await s.get(path, BETA)).body.total_count).toBe(1);
  });
});
