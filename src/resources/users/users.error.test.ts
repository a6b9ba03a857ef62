// The Users API's errors: LaunchDarkly's bodies, a 4xx naming the field, nothing written.
import { describe, expect, it } from 'vitest';
import { usersServer } from '../../../test/support/users.js';

const SEARCH = '/api/v2/user-search/shop/production';
const BETA = { headers: { 'LD-API-Version': 'beta' } };

describe('Users API: errors', () => {
  const world = usersServer();
  const expect400 = async (path: string, attribute: string) => {
    const res = await world.s.get(path);
    expect(res.status, path).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message, path).toContain(attribute);
  };

  it('404 not_found for an unknown project or environment, on every operation', async () => {
    for (const [project, env] of [['nope', 'production'], ['shop', 'nope']]) {
      for (const [method, path] of [
        ['GET', `/api/v2/users/${project}/${env}`],
        ['GET', `/api/v2/user-search/${project}/${env}`],
        ['GET', `/api/v2/users/${project}/${env}/sandy`],
        ['DELETE', `/api/v2/users/${project}/${env}/sandy`],
        ['GET', `/api/v2/user-attributes/${project}/${env}`],
      ]) {
        const res = await world.s.request(method, path, BETA);
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.code).toBe('not_found');
      }
    }
  });

  it('a user the SDKs never sent: 404 naming it, for a read and a delete', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await world.s.request(method, `${world.users}/ghost`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ code: 'not_found', message: expect.stringContaining('User "ghost"') });
    }
  });

  it('400 naming limit, offset, after, sort, searchAfter or filter; a limit above 50 gives 50', async () => {
    await expect400(`${world.users}?limit=0`, 'limit');
    await expect400(`${world.users}?limit=ten`, 'limit');
    await expect400(`${SEARCH}?offset=-1`, 'offset');
    await expect400(`${SEARCH}?after=yesterday`, 'after');
    await expect400(`${SEARCH}?sort=name`, 'sort');
    await expect400(`${SEARCH}?sort=-lastSeen&searchAfter=sandy`, 'searchAfter');
    await expect400(`${SEARCH}?filter=country`, 'filter');
    expect((await world.s.get(`${SEARCH}?limit=500`)).body._links.self.href).toContain('limit=50');
  });

  it('a user also in multi-contexts is a 409 naming them; nothing is deleted or audited', async () => {
    const audit = async () => (await world.s.store.db.selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n;
    const before = await audit();
    const res = await world.s.del(`${world.users}/henry`);
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('conflict');
    expect(res.body.message).toContain(Buffer.from('org:launchdarkly:user:henry').toString('base64url'));
    expect((await world.s.get(`${world.users}/henry`)).status).toBe(200);
    expect(await audit()).toEqual(before);
  });

  it('an empty user key (`…//`): 400 naming userKey; with only a trailing slash the path is the list', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await world.s.request(method, `${world.users}//`);
      expect(res.status, method).toBe(400);
      expect(res.body.message).toContain('userKey');
    }
    expect((await world.s.get(`${world.users}/`)).body.totalCount).toBe(4);
    expect((await world.s.del(`${world.users}/`)).status).toBe(405);
  });

  it('getUserAttributeNames is beta: 403 without LD-API-Version: beta', async () => {
    const res = await world.s.get('/api/v2/user-attributes/shop/production');
    expect(res.status).toBe(403);
    expect(res.body.message).toContain('LD-API-Version: beta');
  });
});
