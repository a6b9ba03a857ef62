import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('big segments: security', () => {
  let s: TestServer;
  let roles = 0;
  const base = '/api/v2/segments/shop/production';
  const add = { included: { add: ['d1'] } };
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post(base, { name: 'Users', key: 'users', unbounded: true });
  });
  afterAll(() => s.close());

  async function customRoleToken(policy: unknown[]): Promise<string> {
    roles += 1;
    const view = { effect: 'allow', resources: ['proj/shop'], actions: ['viewProject'] };
    const role = await s.post('/api/v2/roles', { key: `big-segment-role-${roles}`, name: `Big segment role ${roles}`, policy: [view, ...policy] });
    expect(role.status, JSON.stringify(role.body)).toBe(201);
    return (await s.post('/api/v2/tokens', { name: `big segment token ${roles}`, customRoleIds: [role.body._id] })).body.token;
  }

  it('401 without a token; 403 for a reader on the writes, which a reader may read', async () => {
    for (const path of [`${base}/users/contexts`, `${base}/users/users`]) {
      expect((await s.post(path, add, { token: null })).status).toBe(401);
      const res = await s.post(path, add, { token: s.tokens.reader });
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('forbidden');
    }
    expect((await s.get(`${base}/users/contexts/d1`, { token: null })).status).toBe(401);
    expect((await s.get(`${base}/users/contexts/d1`, { token: s.tokens.reader })).body).toEqual({ userKey: 'd1', included: false, excluded: false });
    expect((await s.get(`${base}/users/users/d1`, { token: s.tokens.reader })).status).toBe(200);
  });

  it("custom roles: updateIncluded for included, updateExcluded for excluded, on the segment's resource", async () => {
    const included = await customRoleToken([{ effect: 'allow', resources: ['proj/shop:env/production:segment/users'], actions: ['updateIncluded'] }]);
    expect((await s.post(`${base}/users/contexts`, add, { token: included })).status).toBe(204);
    expect((await s.post(`${base}/users/contexts`, { excluded: { add: ['d2'] } }, { token: included })).status).toBe(403);
    expect((await s.post(`${base}/users/users`, { included: { add: ['d3'] }, excluded: { add: ['d3'] } }, { token: included })).status).toBe(403);
    const elsewhere = await customRoleToken([{ effect: 'allow', resources: ['proj/shop:env/test:segment/*'], actions: ['updateIncluded', 'updateExcluded'] }]);
    expect((await s.post(`${base}/users/contexts`, add, { token: elsewhere })).status).toBe(403);
    expect((await s.get(`${base}/users/contexts/d2`)).body.excluded).toBe(false);
  });

  it("404 through another environment's or project's key", async () => {
    await s.post('/api/v2/projects', { name: 'Other', key: 'other' });
    expect((await s.post('/api/v2/segments/shop/test/users/contexts', add)).status).toBe(404);
    expect((await s.get('/api/v2/segments/other/production/users/contexts/d1')).status).toBe(404);
  });
});
