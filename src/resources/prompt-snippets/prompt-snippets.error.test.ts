// Every error a client can cause on the prompt snippet routes: exact status, code and a message naming the field or
// what is missing; nothing written by a request that fails.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('prompt snippets: errors', () => {
  let s: TestServer;
  const snippets = '/api/v2/projects/shop/ai-configs/prompt-snippets';
  const snippet = `${snippets}/taken`;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(snippets, { key: 'taken', name: 'Taken', text: 't' })).status).toBe(201);
  });
  afterAll(() => s.close());

  const refused = (body: unknown, status: number, code: string, message: string | RegExp, path = snippets) => expectRefused(s.store, () => s.post(path, body), status, code, message);
  const refusedBy = (send: () => Promise<Response>, status: number, code: string, message: string | RegExp) => expectRefused(s.store, send, status, code, message);

  it('a snippet without key, name or text, or with members of the wrong type, 400 naming each', async () => {
    await refused({ name: 'N', text: 't' }, 400, 'invalid_request', 'key: must be present');
    await refused({ key: 'k', text: 't' }, 400, 'invalid_request', 'name: must be present');
    await refused({ key: 'k', name: 'N' }, 400, 'invalid_request', 'text: must be present');
    await refused({ key: 'k', name: 'N', text: '' }, 400, 'invalid_request', 'text: must not be empty');
    await refused({ key: 'k', name: '', text: 't' }, 400, 'invalid_request', 'name: must not be empty');
    await refused({ key: 'k', name: 'N', text: 5 }, 400, 'invalid_request', 'text: must be a string');
    await refused({ key: 'k', name: 'N', text: 't', description: ['d'] }, 400, 'invalid_request', 'description: must be a string');
    await refused({ key: 'k', name: 'N', text: 't', tags: 'persona' }, 400, 'invalid_request', 'tags: must be an array');
    await refused({ key: 'k', name: 'N', text: 't', tags: [''] }, 400, 'invalid_request', 'tags[0]: must not be empty');
    await refused({ key: '-k', name: 'N', text: 't' }, 400, 'invalid_request', /^key: must start with a letter or digit/);
    await refused({}, 400, 'invalid_request', 'key: must be present; name: must be present; text: must be present');
    await refused('text', 400, 'invalid_request', /body/);
  });

  it('a maintainer that does not exist, or two at once, 400 naming the field', async () => {
    expect((await s.post('/api/v2/teams', { key: 'team', name: 'Team' })).status).toBe(201);
    const me = (await s.get('/api/v2/members/me')).body._id;
    await refused({ key: 'm', name: 'M', text: 't', maintainerId: 'nobody' }, 400, 'invalid_request', 'maintainerId: no member has the ID "nobody"');
    await refused({ key: 'm', name: 'M', text: 't', maintainerTeamKey: 'nobody' }, 400, 'invalid_request', 'maintainerTeamKey: no team has the key "nobody"');
    await refused({ key: 'm', name: 'M', text: 't', maintainerId: me, maintainerTeamKey: 'team' }, 400, 'invalid_request', /^maintainerTeamKey: give maintainerId or maintainerTeamKey, not both/);
    await refusedBy(() => s.patch(snippet, { maintainerId: 'nobody' }), 400, 'invalid_request', 'maintainerId: no member has the ID "nobody"');
    await refusedBy(() => s.patch(snippet, { maintainerId: me, maintainerTeamKey: 'team' }), 400, 'invalid_request', /^maintainerTeamKey: /);
  });

  it('a key the project already has, 409 naming it', async () => {
    await refused({ key: 'taken', name: 'Again', text: 'again' }, 409, 'conflict', 'A prompt snippet with the key "taken" already exists in project "shop"');
  });

  it('an unknown project or snippet, 404 naming it', async () => {
    await refused({ key: 'k', name: 'N', text: 't' }, 404, 'not_found', 'Project "nope" not found', '/api/v2/projects/nope/ai-configs/prompt-snippets');
    await refusedBy(() => s.get('/api/v2/projects/nope/ai-configs/prompt-snippets'), 404, 'not_found', 'Project "nope" not found');
    await refusedBy(() => s.get('/api/v2/projects/nope/ai-configs/prompt-snippets/taken'), 404, 'not_found', 'Project "nope" not found');
    for (const path of [`${snippets}/nope`, `${snippets}/nope/versions`, `${snippets}/nope/references`]) await refusedBy(() => s.get(path), 404, 'not_found', 'Prompt snippet "nope" not found');
    await refusedBy(() => s.patch(`${snippets}/nope`, { text: 'x' }), 404, 'not_found', 'Prompt snippet "nope" not found');
    await refusedBy(() => s.del(`${snippets}/nope`), 404, 'not_found', 'Prompt snippet "nope" not found');
  });

  it('an update with members of the wrong type, 400 naming each; nothing written', async () => {
    await refusedBy(() => s.patch(snippet, { text: '' }), 400, 'invalid_request', 'text: must not be empty');
    await refusedBy(() => s.patch(snippet, { text: null }), 400, 'invalid_request', 'text: must be a string');
    await refusedBy(() => s.patch(snippet, { name: '' }), 400, 'invalid_request', 'name: must not be empty');
    await refusedBy(() => s.patch(snippet, { description: 5 }), 400, 'invalid_request', 'description: must be a string');
    await refusedBy(() => s.patch(snippet, { tags: [1] }), 400, 'invalid_request', 'tags[0]: must be a string');
    await refusedBy(() => s.patch(snippet, [{ op: 'replace', path: '/text', value: 'x' }]), 400, 'invalid_request', /must be an object/);
    await refusedBy(() => s.request('PATCH', snippet), 400, 'invalid_request', /body/);
    expect((await s.get(snippet)).body).toMatchObject({ text: 't', version: 1 });
  });

  it('a filter or page the lists do not take, 400 naming it', async () => {
    const list = (query: string, path = snippets) => () => s.get(`${path}?${query}`);
    await refusedBy(list(`filter=${encodeURIComponent('name equals x')}`), 400, 'invalid_request', 'filter: unknown filter field "name"; use one of key, tags');
    await refusedBy(list(`filter=${encodeURIComponent('key contains x')}`), 400, 'invalid_request', 'filter: the field "key" takes the operator equals or notEquals or anyOf or startsWith, not "contains"');
    await refusedBy(list(`filter=${encodeURIComponent('tags equals x')}`), 400, 'invalid_request', 'filter: the field "tags" takes the operator anyOf, not "equals"');
    await refusedBy(list(`filter=${encodeURIComponent('key equals ["a","b"]')}`), 400, 'invalid_request', 'filter: the field "key" takes one value with equals; use anyOf for several');
    await refusedBy(list('limit=0'), 400, 'invalid_request', 'limit: must be >= 1');
    await refusedBy(list('limit=many', `${snippet}/versions`), 400, 'invalid_request', 'limit: must be an integer');
    await refusedBy(list('offset=-1', `${snippet}/references`), 400, 'invalid_request', 'offset: must be >= 0');
  });
});
