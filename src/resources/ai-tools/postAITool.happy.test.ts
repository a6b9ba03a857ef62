// Creating AI tools as LaunchDarkly's own guide and the spec describe them: 201 with the AITool (version 1, links to
// itself and the project's tools, the caller as maintainer unless a member or team is named), read back and listed
// the same, audited in the same write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_TOOL } from '../../../test/support/aiLibrary.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postAITool, getAITool', () => {
  let s: TestServer;
  let owner: { _id: string; email: string; firstName: string; lastName: string; role: string };
  const tools = '/api/v2/projects/shop/ai-tools';
  const searchTool = SEARCH_TOOL;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    owner = (await s.get('/api/v2/members/me')).body;
  });
  afterAll(() => s.close());

  it('201 with the tool at version 1, maintained by the caller; read back the same', async () => {
    const before = Date.now();
    const res = await s.post(tools, searchTool);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      key: 'search-database',
      _links: {
        parent: { href: '/api/v2/projects/shop/ai-tools', type: 'application/json' },
        self: { href: '/api/v2/projects/shop/ai-tools/search-database', type: 'application/json' },
      },
      _maintainer: { kind: 'member', _id: owner._id, email: owner.email, firstName: owner.firstName, lastName: owner.lastName, role: owner.role },
      description: 'Search the customer database',
      schema: searchTool.schema,
      version: 1,
      createdAt: expect.any(Number),
    });
    expect(res.body.createdAt).toBeGreaterThanOrEqual(before);
    expect((await s.get(`${tools}/search-database`)).body).toEqual(res.body);
  });

  it("OpenAI's function-calling form, custom parameters, and a team as maintainer, kept as sent", async () => {
    expect((await s.post('/api/v2/teams', { key: 'ai-team', name: 'AI team' })).status).toBe(201);
    const body = {
      key: 'get_weather',
      schema: { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      customParameters: { endpoint: 'https://weather.example/v1', timeoutMs: 2000, mcp: { server: 'weather' } },
      maintainerTeamKey: 'ai-team',
    };
    const res = await s.post(tools, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ key: 'get_weather', schema: body.schema, customParameters: body.customParameters, _maintainer: { kind: 'team', key: 'ai-team', name: 'AI team' }, version: 1 });
    expect(res.body.description).toBeUndefined();
    expect((await s.get(`${tools}/get_weather`)).body).toEqual(res.body);
  });

  it('tags (2026-07): kept once each in the order sent, shown and read back; a tool sent none has none', async () => {
    const res = await s.post(tools, { key: 'tagged', schema: { type: 'object' }, tags: ['search', 'db', 'search'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.tags).toEqual(['search', 'db']);
    expect((await s.get(`${tools}/tagged`)).body.tags).toEqual(['search', 'db']);
    expect((await s.get(`${tools}/search-database`)).body.tags).toBeUndefined();
  });

  it('a member named as maintainer; an empty maintainerId leaves the tool without one', async () => {
    const invited = await s.post('/api/v2/members', [{ email: 'ada@example.com', role: 'writer' }]);
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const ada = invited.body.items[0];
    const named = await s.post(tools, { key: 'named', schema: {}, maintainerId: ada._id });
    expect(named.body._maintainer).toEqual({ kind: 'member', _id: ada._id, email: 'ada@example.com', firstName: ada.firstName, lastName: ada.lastName, role: 'writer' });
    const none = await s.post(tools, { key: 'unmaintained', schema: {}, maintainerId: '' });
    expect(none.status).toBe(201);
    expect(none.body._maintainer).toBeUndefined();
  });

  it('the same key in another project is another tool', async () => {
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    const res = await s.post('/api/v2/projects/other/ai-tools', { ...searchTool, description: 'elsewhere' });
    expect(res.status).toBe(201);
    expect(res.body._links.self.href).toBe('/api/v2/projects/other/ai-tools/search-database');
    expect((await s.get(`${tools}/search-database`)).body.description).toBe('Search the customer database');
  });

  it('each creation is audited on proj/p:ai-tool/key, with the tool as created', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:ai-tool/search-database')).body.items;
    expect(entries).toHaveLength(1);
    const entry = (await s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(entry).toMatchObject({ kind: 'ai-tool', name: 'search-database', title: expect.stringContaining('created the AI tool search-database') });
    expect(entry.target.resources).toEqual(['proj/shop:ai-tool/search-database']);
  });
});
