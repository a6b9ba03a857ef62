// Removals refused: the owner (409), an unknown member (404); a custom role a member holds cannot be deleted (409).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteMember: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('409 for the account owner, 404 for an id no member has', async () => {
    const owner = (await s.get('/api/v2/members/me')).body._id;
    const res = await s.del(`/api/v2/members/${owner}`);
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: 'conflict', message: 'The account owner cannot be removed from the account' });
    expect((await s.get(`/api/v2/members/${owner}`)).status).toBe(200);
    expect((await s.del('/api/v2/members/0123456789abcdef01234567')).status).toBe(404);
  });

  it('a custom role a member holds: deleting it is a 409 naming the member, until the member is removed', async () => {
    await s.post('/api/v2/roles', { key: 'held', name: 'Held', policy: [] });
    const id = (await s.post('/api/v2/members', [{ email: 'holder@acme.com', customRoles: ['held'] }])).body.items[0]._id;
    const refused = await s.del('/api/v2/roles/held');
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(id);
    expect((await s.del(`/api/v2/members/${id}`)).status).toBe(204);
    expect((await s.del('/api/v2/roles/held')).status).toBe(204);
  });
});
