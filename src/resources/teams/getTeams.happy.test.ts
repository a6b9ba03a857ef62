// Listing teams: 20 a page by default; from API version 20240415 a page holds at most 100 teams and the list no longer
// expands `projects` or `roles` (the changelog's two changes to list teams); older versions keep both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collateLinguistically } from '../../../test/support/collation.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getTeams', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { key: 'web', name: 'Web' });
    await s.post('/api/v2/roles', { key: 'web-writers', name: 'Web writers', policy: [{ effect: 'allow', resources: ['proj/web:env/*:flag/*'], actions: ['*'] }] });
    for (let i = 0; i < 105; i++) {
      const res = await s.post('/api/v2/teams', { key: `team-${String(i).padStart(3, '0')}`, name: `Team ${i}`, customRoleKeys: ['web-writers'] });
      expect(res.status).toBe(201);
    }
  });
  afterAll(() => s.close());

  it('20 a page by default, with totalCount and the links to the pages there are', async () => {
    const res = await s.get('/api/v2/teams');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(20);
    expect(res.body.totalCount).toBe(105);
    expect(res.body._links.next.href).toBe('/api/v2/teams?limit=20&offset=20');
  });

  it('at most 100 a page from API version 20240415 (the default version), with a next link to the rest', async () => {
    for (const headers of [{}, { 'LD-API-Version': '20240415' }, { 'LD-API-Version': 'beta' }] as Record<string, string>[]) {
      const res = await s.get('/api/v2/teams?limit=500', { headers });
      expect(res.body.items, JSON.stringify(headers)).toHaveLength(100);
      expect(res.body.totalCount).toBe(105);
      expect(res.body._links.self.href).toBe('/api/v2/teams?limit=100&offset=0');
      expect(res.body._links.next.href).toBe('/api/v2/teams?limit=100&offset=100');
      const rest = await s.get(res.body._links.next.href, { headers });
      expect(rest.body.items.map((t: { key: string }) => t.key)).toEqual(['team-100', 'team-101', 'team-102', 'team-103', 'team-104']);
    }
    expect((await s.get('/api/v2/teams?limit=500', { headers: { 'LD-API-Version': '20220603' } })).body.items).toHaveLength(105);
  });

  it('expand=projects,roles is ignored in the list from 20240415; members and roleAttributes still expand; getTeam keeps both', async () => {
    const current = (await s.get('/api/v2/teams?limit=1&expand=projects,roles,members,roleAttributes')).body.items[0];
    expect(current).not.toHaveProperty('projects');
    expect(current).not.toHaveProperty('roles');
    expect(current.members).toEqual({ totalCount: 0 });
    const older = (await s.get('/api/v2/teams?limit=1&expand=projects,roles', { headers: { 'LD-API-Version': '20220603' } })).body.items[0];
    expect(older.roles.items.map((r: { key: string }) => r.key)).toEqual(['web-writers']);
    expect(older.projects.items.map((p: { key: string }) => p.key)).toEqual(['web']);
    const one = (await s.get('/api/v2/teams/team-000?expand=projects,roles')).body;
    expect(one.roles.items.map((r: { key: string }) => r.key)).toEqual(['web-writers']);
    expect(one.projects.items.map((p: { key: string }) => p.key)).toEqual(['web']);
  });
});

describe('getTeams: order', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await collateLinguistically(s.store, [['teams', 'key'], ['projects', 'key']]);
  });
  afterAll(() => s.close());

  it('teams, and the projects their roles reach, in code-unit order whatever the database collation', async () => {
    for (const key of ['b', 'A', 'a', 'B']) {
      await s.post('/api/v2/projects', { key, name: key });
      expect((await s.post('/api/v2/teams', { key, name: key, customRoleKeys: [] })).status).toBe(201);
    }
    await s.post('/api/v2/roles', { key: 'all', name: 'All', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] });
    await s.patch('/api/v2/teams/a', { instructions: [{ kind: 'addCustomRoles', values: ['all'] }] });
    const teams = (await s.get('/api/v2/teams?expand=projects', { headers: { 'LD-API-Version': '20220603' } })).body.items;
    expect(teams.map((t: { key: string }) => t.key)).toEqual(['A', 'B', 'a', 'b']);
    expect(teams[2].projects.items.map((p: { key: string }) => p.key)).toEqual(['A', 'B', 'a', 'b']);
  });
});
