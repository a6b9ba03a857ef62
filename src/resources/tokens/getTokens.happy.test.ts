// Token.lastUsed: when a token last authenticated a request, shown at once and written into the store; Token._member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getTokens and getToken: lastUsed', () => {
  let s: TestServer;
  let clock = 1_800_000_000_000;
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
  });
  afterAll(() => s.close());

  it('a token never used has none; each request it authenticates moves it, and the store keeps it', async () => {
    const created = await s.post('/api/v2/tokens', { name: 'ci', role: 'reader' });
    expect(created.status).toBe(201);
    const id = created.body._id;
    expect((await s.get(`/api/v2/tokens/${id}`)).body.lastUsed).toBeUndefined();

    clock += 5_000;
    expect((await s.get('/api/v2/projects', { token: created.body.token })).status).toBe(200);
    expect((await s.get(`/api/v2/tokens/${id}`)).body.lastUsed).toBe(clock);
    const listed = (await s.get('/api/v2/tokens?showAll=true')).body.items.find((t: { _id: string }) => t._id === id);
    expect(listed.lastUsed).toBe(clock);

    // Written when the uses are flushed (every TOKEN_USAGE_FLUSH_MS, and on shutdown).
    await s.deps.tokenUsage.flush();
    const row = await s.store.db.selectFrom('tokens').select('doc').where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.doc).lastUsed).toBe(clock);
    // A refused request is no use: an unknown token changes nothing, and a later use moves it on.
    clock += 5_000;
    expect((await s.get('/api/v2/projects', { token: 'api-00000000-0000-4000-8000-00000000dead' })).status).toBe(401);
    expect((await s.get(`/api/v2/tokens/${id}`)).body.lastUsed).toBe(clock - 5_000);
    expect((await s.get('/api/v2/projects', { token: created.body.token })).status).toBe(200);
    expect((await s.get(`/api/v2/tokens/${id}`)).body.lastUsed).toBe(clock);
  });

  it('each token shows _member, the MemberSummary of the member who made it, in every response', async () => {
    const created = await s.post('/api/v2/tokens', { name: 'with member', role: 'writer' });
    const me = (await s.get('/api/v2/members/me')).body;
    const summary = { _links: { self: { href: `/api/v2/members/${me._id}`, type: 'application/json' } }, _id: me._id, firstName: me.firstName, lastName: me.lastName, role: me.role, email: me.email };
    expect(created.body._member).toEqual(summary);
    const id = created.body._id;
    expect((await s.get(`/api/v2/tokens/${id}`)).body._member).toEqual(summary);
    expect((await s.get('/api/v2/tokens')).body.items.find((t: { _id: string }) => t._id === id)._member).toEqual(summary);
    expect((await s.patch(`/api/v2/tokens/${id}`, [{ op: 'replace', path: '/name', value: 'renamed' }])).body._member).toEqual(summary);
    expect((await s.post(`/api/v2/tokens/${id}/reset`, undefined)).body._member).toEqual(summary);
  });

  it('showAll is true or false (a 400 naming it otherwise), and the admin list is the same either way', async () => {
    const all = (await s.get('/api/v2/tokens?showAll=true')).body.items;
    expect((await s.get('/api/v2/tokens?showAll=false')).body.items).toEqual(all);
    const bad = await s.get('/api/v2/tokens?showAll=maybe');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ attribute: 'showAll', reason: 'must be true or false, not "maybe"' }]);
  });
});
