import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteProject: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Only', key: 'only' });
  });
  afterAll(() => s.close());

  it('404 naming an unknown project', async () => {
    const res = await s.del('/api/v2/projects/nope');
    expect(res.status).toBe(404);
    expect(res.body.message).toContain('"nope"');
  });

  it('400 for the last project of the account, which stays', async () => {
    const res = await s.del('/api/v2/projects/only');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toMatch(/"only" is the last project/);
    expect((await s.get('/api/v2/projects/only')).status).toBe(200);
  });

  it('concurrent deletes of every project: all but one succeed, and the last stays (400)', async () => {
    // A few rounds: the deletes interleave differently each time.
    for (let round = 0; round < 4; round++) {
      const added = [`second-${round}`, `third-${round}`];
      for (const key of added) await s.post('/api/v2/projects', { name: key, key });
      const [survivor] = (await s.get('/api/v2/projects')).body.items.map((p: { key: string }) => p.key).filter((key: string) => !added.includes(key));
      const results = await Promise.all([survivor, ...added].map((key) => s.del(`/api/v2/projects/${key}`)));
      expect(results.map((r) => r.status).sort()).toEqual([204, 204, 400]);
      expect(results.find((r) => r.status === 400)!.body.message).toMatch(/is the last project/);
      expect((await s.get('/api/v2/projects')).body.items).toHaveLength(1);
    }
  });

  it('concurrent deletes of one project: one 204 and one audit entry, the rest 404', async () => {
    await s.post('/api/v2/projects', { name: 'Raced', key: 'raced' });
    const results = await Promise.all(Array.from({ length: 6 }, () => s.del('/api/v2/projects/raced')));
    expect(results.map((r) => r.status).sort()).toEqual([204, 404, 404, 404, 404, 404]);
    const entries = await s.store.db.selectFrom('audit_log').select('doc').where('resource', '=', 'proj/raced').execute();
    expect(entries.filter((e) => e.doc.includes('deleteProject'))).toHaveLength(1);
  });
});

describe('deleteProject: creates racing the delete', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Kept', key: 'kept' });
  });
  afterAll(() => s.close());

  it('a flag created while its project is deleted is a 404 naming the project, never a 500', async () => {
    // A few rounds: the creates and the delete interleave differently each time.
    for (let round = 0; round < 4; round++) {
      const key = `doomed-${round}`;
      expect((await s.post('/api/v2/projects', { name: key, key })).status).toBe(201);
      const creates = Array.from({ length: 6 }, (_, i) => s.post(`/api/v2/flags/${key}`, { name: `F${i}`, key: `f${i}` }));
      const [deleted, ...created] = await Promise.all([s.del(`/api/v2/projects/${key}`), ...creates]);
      expect(deleted.status).toBe(204);
      for (const res of created) {
        expect([201, 404], JSON.stringify(res.body)).toContain(res.status);
        if (res.status === 404) expect(res.body).toEqual({ code: 'not_found', message: `Project "${key}" not found` });
      }
      expect(await s.store.db.selectFrom('projects').select('id').where('key', '=', key).execute()).toEqual([]);
    }
  });
});
