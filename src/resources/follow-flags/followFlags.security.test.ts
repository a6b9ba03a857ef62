// Follow flags security: a token is needed; following changes no flag, so every role may follow, but a reader only
// itself; a custom role needs only to see the flag's project (then acts for anyone), and sees no other project's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorld, type World } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('follow flags security', () => {
  let s: TestServer;
  let w: World;
  let member: string;
  const path = () => `/api/v2/projects/${w.project}/flags/${w.flag}/environments/production/followers`;
  beforeAll(async () => {
    s = await startServer();
    w = await createWorld(s);
    await createWorld(s, 'secret');
    member = (await s.get('/api/v2/members/me')).body._id;
  });
  afterAll(() => s.close());

  it('401 without a token; a reader may follow and unfollow', async () => {
    expect((await s.get(path(), { token: null })).status).toBe(401);
    expect((await s.put(`${path()}/${member}`, undefined, { token: null })).status).toBe(401);
    expect((await s.put(`${path()}/${member}`, undefined, { token: s.tokens.reader })).status).toBe(204);
    expect((await s.get(path(), { token: s.tokens.reader })).body.items.map((m: { _id: string }) => m._id)).toEqual([member]);
    expect((await s.del(`${path()}/${member}`, { token: s.tokens.reader })).status).toBe(204);
  });

  it('a reader can add and remove only itself; a writer anyone', async () => {
    const other = (await s.post('/api/v2/members', [{ email: 'other@acme.com', role: 'writer' }])).body.items[0]._id as string;
    for (const method of ['PUT', 'DELETE']) {
      const refused = await s.request(method, `${path()}/${other}`, { token: s.tokens.reader });
      expect(refused.status, method).toBe(403);
      expect(refused.body).toEqual({ code: 'forbidden', message: expect.stringContaining('own member') });
    }
    expect((await s.get(path())).body.items).toEqual([]);
    expect((await s.put(`${path()}/${other}`, undefined, { token: s.tokens.writer })).status).toBe(204);
    expect((await s.del(`${path()}/${other}`, { token: s.tokens.reader })).status).toBe(403);
    expect((await s.get(path())).body.items.map((m: { _id: string }) => m._id)).toEqual([other]);
    expect((await s.del(`${path()}/${other}`, { token: s.tokens.writer })).status).toBe(204);
  });

  it('a custom role follows (as anyone) in the projects it may view, and is refused elsewhere', async () => {
    expect((await s.post('/api/v2/roles', { key: 'viewer', name: 'Viewer', policy: [{ effect: 'allow', resources: [`proj/${w.project}`], actions: ['viewProject'] }] })).status).toBe(201);
    const token = (await s.post('/api/v2/tokens', { name: 'viewer', customRoleIds: ['viewer'] })).body.token as string;
    expect((await s.put(`${path()}/${member}`, undefined, { token })).status).toBe(204);
    const another = (await s.post('/api/v2/members', [{ email: 'someone@acme.com', role: 'reader' }])).body.items[0]._id as string;
    expect((await s.put(`${path()}/${another}`, undefined, { token })).status).toBe(204);
    expect((await s.del(`${path()}/${another}`, { token })).status).toBe(204);
    const elsewhere = await s.put(`/api/v2/projects/secret/flags/${w.flag}/environments/production/followers/${member}`, undefined, { token });
    expect(elsewhere.status).toBe(403);
    expect((await s.get('/api/v2/projects/secret/environments/production/followers', { token })).status).toBe(403);
  });
});
