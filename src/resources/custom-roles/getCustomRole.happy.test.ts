import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getCustomRole: happy path', () => {
  let s: TestServer;
  let created: Record<string, any>;
  beforeAll(async () => {
    s = await startServer();
    created = (
      await s.post('/api/v2/roles', {
        key: 'qa-flags',
        name: 'QA flags',
        description: 'toggles flags in QA',
        basePermissions: 'reader',
        resourceCategory: 'project',
        policy: [
          { effect: 'allow', resources: ['proj/*:env/qa:flag/*'], actions: ['updateOn', 'updateFallthrough'] },
          { effect: 'deny', notResources: ['proj/*:env/qa:flag/*'], notActions: ['viewProject'] },
        ],
      })
    ).body;
  });
  afterAll(() => s.close());

  it('answers the CustomRole by its key, exactly as it was created', async () => {
    const res = await s.get('/api/v2/roles/qa-flags');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
    expect(res.body).toMatchObject({ key: 'qa-flags', name: 'QA flags', basePermissions: 'reader', resourceCategory: 'project', assignedTo: { membersCount: 0, teamsCount: 0 } });
    expect(res.body._links.self.href).toBe('/api/v2/roles/qa-flags');
  });

  it('answers the same role by its _id ("by key or ID")', async () => {
    const res = await s.get(`/api/v2/roles/${created._id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
  });

  it('a key with dots and underscores is found; its self link is the key', async () => {
    const res = await s.post('/api/v2/roles', { key: 'team_a.readers', name: 'A', policy: [] });
    expect(res.status).toBe(201);
    const got = await s.get('/api/v2/roles/team_a.readers');
    expect(got.status).toBe(200);
    expect(got.body._links.self.href).toBe('/api/v2/roles/team_a.readers');
  });
});
