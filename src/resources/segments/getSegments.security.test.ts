import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getSegments: security', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production';
  const keys = (res: { body: { items: { key: string }[] } }) => res.body.items.map((segment) => segment.key);
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    await s.post(path, { name: 'Mine', key: 'mine', tags: ['t'] });
    await s.post('/api/v2/segments/shop/test', { name: 'Next door', key: 'next-door', tags: ['t'] });
    await s.post('/api/v2/segments/other/production', { name: 'Theirs', key: 'theirs', tags: ['t'] });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one', async () => {
    expect((await s.get(path, { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.get(path, { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
  });

  it('a reader token may list', async () => {
    const res = await s.get(path, { token: s.tokens.reader });
    expect(res.status).toBe(200);
    expect(keys(res)).toEqual(['mine']);
  });

  it("lists only the environment's own segments, whatever the filter says", async () => {
    expect(keys(await s.get(`${path}?filter=${encodeURIComponent('includedKeys anyOf ["next-door", "theirs"]')}`))).toEqual([]);
    expect(keys(await s.get(`${path}?filter=${encodeURIComponent('tags anyOf ["t"]|query equals "theirs"')}`))).toEqual(['mine']);
    expect(keys(await s.get('/api/v2/segments/shop/test'))).toEqual(['next-door']);
    expect(keys(await s.get('/api/v2/segments/other/production'))).toEqual(['theirs']);
  });

  it('a filter value is data, never SQL', async () => {
    const res = await s.get(`${path}?filter=${encodeURIComponent(`query equals "x' or '1'='1"`)}`);
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
    const keyed = await s.get(`${path}?filter=${encodeURIComponent(`includedKeys anyOf ["mine' --", "%"]`)}`);
    expect(keyed.status).toBe(200);
    expect(keyed.body.items).toEqual([]);
  });

  it('404 for an unknown project or environment, for a reader too', async () => {
    expect((await s.get('/api/v2/segments/nope/production', { token: s.tokens.reader })).status).toBe(404);
    expect((await s.get('/api/v2/segments/shop/staging', { token: s.tokens.reader })).status).toBe(404);
  });
});
