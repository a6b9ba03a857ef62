import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteSegment: security', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production/s';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post('/api/v2/segments/shop/production', { name: 'Mine', key: 's' });
    await s.post('/api/v2/segments/other/production', { name: 'Theirs', key: 's' });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one; the segment stays', async () => {
    expect((await s.del(path, { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.del(path, { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
    expect((await s.get(path)).status).toBe(200);
  });

  it('403 for a reader; the segment stays', async () => {
    const res = await s.del(path, { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(res.body.message).toContain('writer');
    expect((await s.get(path)).status).toBe(200);
  });

  it("404 through another environment's key: the segment of this one stays", async () => {
    expect((await s.del('/api/v2/segments/shop/test/s', { token: s.tokens.writer })).status).toBe(404);
    expect((await s.del('/api/v2/segments/shop/staging/s', { token: s.tokens.writer })).status).toBe(404);
    expect((await s.get(path)).status).toBe(200);
  });

  it("a flag in another project does not protect this project's segment of the same key; a writer may delete", async () => {
    await s.post('/api/v2/flags/other', { name: 'Theirs', key: 'theirs' });
    const rule = { variation: 0, clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['s'] }] };
    expect((await s.patch('/api/v2/flags/other/theirs', [{ op: 'add', path: '/environments/production/rules/-', value: rule }])).status).toBe(200);
    expect((await s.del(path, { token: s.tokens.writer })).status).toBe(204);
    expect((await s.get('/api/v2/segments/other/production/s')).status).toBe(200);
    expect((await s.del('/api/v2/segments/other/production/s')).status).toBe(409);
  });
});
