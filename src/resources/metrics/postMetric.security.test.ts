import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertToken, mintToken } from '../tokens/tokens.js';
import { objectId } from '../../store/ids.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postMetric: security', () => {
  let s: TestServer;
  const body = { key: 'sec', kind: 'custom', eventKey: 'e', isNumeric: false };
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('401 without a token or with an unknown one', async () => {
    expect((await s.post('/api/v2/metrics/shop', body, { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.post('/api/v2/metrics/shop', body, { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
  });

  it('403 for a reader token, and nothing is created; a writer may create', async () => {
    const res = await s.post('/api/v2/metrics/shop', body, { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(res.body.message).toContain('writer');
    expect((await s.get('/api/v2/metrics/shop/sec')).status).toBe(404);
    expect((await s.post('/api/v2/metrics/shop', body, { token: s.tokens.writer })).status).toBe(201);
  });

  it("the maintainer defaults to the calling token's member, not to the account owner", async () => {
    const memberId = objectId();
    await s.store.db
      .insertInto('members')
      .values({ id: memberId, email: 'ana@example.com', doc: JSON.stringify({ firstName: 'Ana', lastName: 'Lee', role: 'writer' }), created_at: Date.now() })
      .execute();
    const token = mintToken();
    await insertToken(s.store.db, memberId, token, { name: 'ana', role: 'writer' }, Date.now());
    const res = await s.post('/api/v2/metrics/shop', { ...body, key: 'anas' }, { token });
    expect(res.status).toBe(201);
    expect(res.body.maintainerId).toBe(memberId);
    expect(res.body._maintainer).toMatchObject({ _id: memberId, email: 'ana@example.com', firstName: 'Ana' });
  });

  it('400 for __proto__ keys, and no prototype is polluted', async () => {
    const res = await s.request('POST', '/api/v2/metrics/shop', { raw: '{"key":"p","kind":"custom","eventKey":"e","isNumeric":false,"__proto__":{"polluted":true}}' });
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a metric lives in its own project: the same key elsewhere is a different metric', async () => {
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    expect((await s.post('/api/v2/metrics/other', body)).status).toBe(201);
    const mine = await s.get('/api/v2/metrics/shop/sec');
    const theirs = await s.get('/api/v2/metrics/other/sec');
    expect(mine.body._id).not.toBe(theirs.body._id);
  });
});
