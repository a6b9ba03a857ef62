import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getSegment: security', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post(path, { name: 'Beta', key: 'beta' });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one', async () => {
    expect((await s.get(`${path}/beta`, { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.get(`${path}/beta`, { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
  });

  it('a reader token may read', async () => {
    expect((await s.get(`${path}/beta`, { token: s.tokens.reader })).status).toBe(200);
  });

  it("a segment is not reachable through another environment's or another project's key", async () => {
    expect((await s.get('/api/v2/segments/shop/test/beta')).status).toBe(404);
    expect((await s.get('/api/v2/segments/other/production/beta')).status).toBe(404);
  });

  it("a flag of another project naming the same key does not show in this segment's _flags", async () => {
    await s.post('/api/v2/segments/other/production', { name: 'Their beta', key: 'beta' });
    await s.post('/api/v2/flags/other', { name: 'Theirs', key: 'theirs' });
    const rule = { variation: 0, clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['beta'] }] };
    expect((await s.patch('/api/v2/flags/other/theirs', [{ op: 'add', path: '/environments/production/rules/-', value: rule }])).status).toBe(200);
    expect((await s.get(`${path}/beta`)).body._flags).toEqual([]);
    expect((await s.get('/api/v2/segments/other/production/beta')).body._flags.map((f: { key: string }) => f.key)).toEqual(['theirs']);
  });

  it('path segments that try to escape are just unknown keys', async () => {
    expect((await s.get(`${path}/..%2F..%2Fflags`)).status).toBe(404);
    expect((await s.get(`${path}/beta'%20or%20'1'='1`)).status).toBe(404);
    expect((await s.get(`${path}/%25`)).status).toBe(404);
  });
});
