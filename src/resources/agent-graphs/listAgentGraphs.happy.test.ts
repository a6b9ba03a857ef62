// Listing agent graphs (beta): the project's graphs without their edges (metadata only), oldest first, paged with
// first/prev/next/last links; deleting a graph or its project removes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAIConfigs } from '../../../test/support/aiLibrary.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('listAgentGraphs, deleteAgentGraph', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 1, 2);
  const graphs = '/api/v2/projects/shop/agent-graphs';
  const keys = (res: { body: { items: { key: string }[] } }) => res.body.items.map((item) => item.key);
  beforeAll(async () => {
    s = await startServer({ now: () => (clock += 1000) });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    await postAIConfigs(s.post, 'shop', ['root', 'leaf']);
    for (const key of ['zeta', 'alpha', 'mid']) {
      expect((await s.post(graphs, { key, name: key.toUpperCase(), rootConfigKey: 'root', edges: [{ key: 'e', sourceConfig: 'root', targetConfig: 'leaf' }] }, BETA)).status).toBe(201);
    }
    expect((await s.post('/api/v2/projects/other/agent-graphs', { key: 'elsewhere', name: 'Elsewhere' }, BETA)).status).toBe(201);
  });
  afterAll(() => s.close());

  it("the project's graphs, oldest first, without edges", async () => {
    const res = await s.get(graphs, BETA);
    expect(res.status).toBe(200);
    expect(keys(res)).toEqual(['zeta', 'alpha', 'mid']);
    expect(res.body.totalCount).toBe(3);
    const { edges: _edges, ...metadata } = (await s.get(`${graphs}/alpha`, BETA)).body;
    expect(res.body.items[1]).toEqual(metadata);
    expect(res.body.items[1].edges).toBeUndefined();
    expect(res.body._links).toEqual({ self: { href: `${graphs}?limit=20&offset=0`, type: 'application/json' } });
  });

  it('pages: limit and offset, with the links a client walks', async () => {
    const res = await s.get(`${graphs}?limit=1&offset=1`, BETA);
    expect(keys(res)).toEqual(['alpha']);
    const href = (offset: number) => ({ href: `${graphs}?limit=1&offset=${offset}`, type: 'application/json' });
    expect(res.body._links).toEqual({ self: href(1), first: href(0), prev: href(0), next: href(2), last: href(2) });
    expect(keys(await s.get(`${graphs}?offset=5`, BETA))).toEqual([]);
  });

  it('filter (2026-07) on key and rootConfigKey in the grouped syntax the AI lists take; pages carry it', async () => {
    const filtered = (filter: string, query = '') => s.get(`${graphs}?filter=${encodeURIComponent(filter)}${query}`, BETA);
    expect(keys(await filtered('key equals alpha'))).toEqual(['alpha']);
    expect(keys(await filtered('key anyOf ["mid","zeta","nope"]'))).toEqual(['zeta', 'mid']);
    expect(keys(await filtered('key startsWith m|key equals zeta'))).toEqual(['zeta', 'mid']);
    expect(keys(await filtered('rootConfigKey equals root,key notEquals zeta'))).toEqual(['alpha', 'mid']);
    expect(keys(await filtered('rootConfigKey anyOf ["leaf"]'))).toEqual([]);
    const paged = await filtered('key notEquals alpha', '&limit=1');
    expect(keys(paged)).toEqual(['zeta']);
    expect(paged.body.totalCount).toBe(2);
    const filter = encodeURIComponent('key notEquals alpha').replace(/%20/g, '+');
    expect(paged.body._links.next).toEqual({ href: `${graphs}?filter=${filter}&limit=1&offset=1`, type: 'application/json' });
    const refused = await filtered('name equals ZETA');
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid_request', message: 'filter: unknown filter field "name"; use one of key, rootConfigKey' });
  });

  it('deleting a graph: 204, gone from reads and the list; audited as deleteAgentGraph with the graph as it was', async () => {
    const res = await s.del(`${graphs}/alpha`, BETA);
    expect(res.status).toBe(204);
    expect((await s.get(`${graphs}/alpha`, BETA)).status).toBe(404);
    expect(keys(await s.get(graphs, BETA))).toEqual(['zeta', 'mid']);
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:agent-graph/alpha')).body.items;
    const deleted = (await s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(deleted).toMatchObject({ kind: 'agent-graph', title: expect.stringContaining('deleted the agent graph ALPHA') });
    expect(deleted.previousVersion).toMatchObject({ key: 'alpha', rootConfigKey: 'root', edges: [{ key: 'e', sourceConfig: 'root', targetConfig: 'leaf' }] });
  });

  it('deleting the project deletes its graphs', async () => {
    expect((await s.del('/api/v2/projects/other')).status).toBe(204);
    expect((await s.store.db.selectFrom('agent_graphs').select('key').execute()).map((row) => row.key).sort()).toEqual(['mid', 'zeta']);
  });
});
