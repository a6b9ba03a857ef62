// Every error a client can cause on the AI tools routes: exact status, code and a message naming the field or what is
// missing; nothing written by a request that fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('AI tools: errors', () => {
  let s: TestServer;
  const tools = '/api/v2/projects/shop/ai-tools';
  const tool = `${tools}/lookup`;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(tools, { key: 'lookup', description: 'Look up', schema: { type: 'object' } })).status).toBe(201);
  });
  afterAll(() => s.close());

  const refused = (send: () => Promise<Response>, status: number, code: string, message: string | RegExp) => expectRefused(s.store, send, status, code, message);

  it('a create without what a tool needs, or with members of the wrong type, 400 naming each', async () => {
    const post = (body: unknown) => () => s.post(tools, body);
    await refused(post({ schema: {} }), 400, 'invalid_request', 'key: must be present');
    await refused(post({ key: 'no-schema' }), 400, 'invalid_request', 'schema: must be present');
    // The spec's own example sends the schema as the text "{}": a JSON object is required.
    await refused(post({ key: 'text-schema', schema: '{}' }), 400, 'invalid_request', 'schema: must be an object');
    await refused(post({ key: 'list-schema', schema: [] }), 400, 'invalid_request', 'schema: must be an object');
    await refused(post({ key: 'null-schema', schema: null }), 400, 'invalid_request', 'schema: must be an object');
    await refused(post({ key: 'bad key!', schema: {} }), 400, 'invalid_request', /^key: must start with a letter or digit/);
    await refused(post({ key: 'x'.repeat(257), schema: {} }), 400, 'invalid_request', 'key: must be at most 256 characters');
    await refused(post({ key: 'params', schema: {}, customParameters: 'x' }), 400, 'invalid_request', 'customParameters: must be an object');
    await refused(post({ key: 'described', schema: {}, description: 5 }), 400, 'invalid_request', 'description: must be a string');
    await refused(post({ key: 'long', schema: {}, description: 'x'.repeat(8193) }), 400, 'invalid_request', 'description: must be at most 8192 characters');
    await refused(post('lookup'), 400, 'invalid_request', /body/);
    await refused(() => s.request('POST', tools), 400, 'invalid_request', /body/);
  });

  it('a maintainer that does not exist, or two at once, 400 naming the field', async () => {
    expect((await s.post('/api/v2/teams', { key: 'team', name: 'Team' })).status).toBe(201);
    const me = (await s.get('/api/v2/members/me')).body._id;
    await refused(() => s.post(tools, { key: 'm', schema: {}, maintainerId: 'nobody' }), 400, 'invalid_request', 'maintainerId: no member has the ID "nobody"');
    await refused(() => s.post(tools, { key: 'm', schema: {}, maintainerTeamKey: 'nobody' }), 400, 'invalid_request', 'maintainerTeamKey: no team has the key "nobody"');
    await refused(() => s.post(tools, { key: 'm', schema: {}, maintainerId: me, maintainerTeamKey: 'team' }), 400, 'invalid_request', /^maintainerTeamKey: give maintainerId or maintainerTeamKey, not both/);
    await refused(() => s.patch(tool, { maintainerId: 'nobody' }), 400, 'invalid_request', 'maintainerId: no member has the ID "nobody"');
    await refused(() => s.patch(tool, { maintainerId: me, maintainerTeamKey: 'team' }), 400, 'invalid_request', /^maintainerTeamKey: /);
  });

  it('a key the project already has, 409 naming it', async () => {
    await refused(() => s.post(tools, { key: 'lookup', schema: {} }), 409, 'conflict', 'An AI tool with the key "lookup" already exists in project "shop"');
  });

  it('an unknown project or tool, 404 naming it', async () => {
    await refused(() => s.post('/api/v2/projects/nope/ai-tools', { key: 'k', schema: {} }), 404, 'not_found', 'Project "nope" not found');
    await refused(() => s.get('/api/v2/projects/nope/ai-tools'), 404, 'not_found', 'Project "nope" not found');
    await refused(() => s.get(`${tools}/nope`), 404, 'not_found', 'AI tool "nope" not found');
    await refused(() => s.get(`${tools}/nope/versions`), 404, 'not_found', 'AI tool "nope" not found');
    await refused(() => s.get(`${tools}/nope/references`), 404, 'not_found', 'AI tool "nope" not found');
    await refused(() => s.get('/api/v2/projects/nope/ai-tools/lookup/references'), 404, 'not_found', 'Project "nope" not found');
    await refused(() => s.patch(`${tools}/nope`, { description: 'd' }), 404, 'not_found', 'AI tool "nope" not found');
    await refused(() => s.del(`${tools}/nope`), 404, 'not_found', 'AI tool "nope" not found');
    await refused(() => s.get('/api/v2/projects/nope/ai-tools/lookup'), 404, 'not_found', 'Project "nope" not found');
  });

  it('an update with members of the wrong type, 400 naming each; nothing written', async () => {
    await refused(() => s.patch(tool, { schema: null }), 400, 'invalid_request', 'schema: must be an object');
    await refused(() => s.patch(tool, { schema: 'text' }), 400, 'invalid_request', 'schema: must be an object');
    await refused(() => s.patch(tool, { customParameters: [1] }), 400, 'invalid_request', 'customParameters: must be an object');
    await refused(() => s.patch(tool, { description: null }), 400, 'invalid_request', 'description: must be a string');
    await refused(() => s.patch(tool, [{ op: 'replace', path: '/description', value: 'x' }]), 400, 'invalid_request', /must be an object/);
    expect((await s.get(tool)).body).toMatchObject({ description: 'Look up', version: 1 });
  });

  it('a filter, sort or page the lists do not take, 400 naming it', async () => {
    const list = (query: string, path = tools) => () => s.get(`${path}?${query}`);
    await refused(list(`filter=${encodeURIComponent('name equals x')}`), 400, 'invalid_request', 'filter: unknown filter field "name"; use one of key, tags');
    await refused(list(`filter=${encodeURIComponent('key contains x')}`), 400, 'invalid_request', 'filter: the field "key" takes the operator equals or notEquals or anyOf or startsWith, not "contains"');
    await refused(list(`filter=${encodeURIComponent('key equals ["a","b"]')}`), 400, 'invalid_request', 'filter: the field "key" takes one value with equals; use anyOf for several');
    await refused(list('filter=key'), 400, 'invalid_request', /^filter: "key" is not of the form field operator value/);
    await refused(list('sort=name'), 400, 'invalid_request', 'sort: cannot sort by "name"; use key, createdAt (prefix - for descending, comma-separated)');
    await refused(list('sort=key', `${tool}/versions`), 400, 'invalid_request', 'sort: cannot sort by "key"; use version, createdAt (prefix - for descending, comma-separated)');
    await refused(list('limit=0'), 400, 'invalid_request', 'limit: must be >= 1');
    await refused(list('limit=many'), 400, 'invalid_request', 'limit: must be an integer');
    await refused(list('offset=-1', `${tool}/versions`), 400, 'invalid_request', 'offset: must be >= 0');
    await refused(list('limit=0', `${tool}/references`), 400, 'invalid_request', 'limit: must be >= 1');
    await refused(list('offset=x', `${tool}/references`), 400, 'invalid_request', 'offset: must be an integer');
  });
});
