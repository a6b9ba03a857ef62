import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('deleteCustomRole: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  /** Makes an access token hold (or, with `[]`, drop) custom roles through patchToken. */
  async function holdRoles(tokenId: string, roleIds: string[]) {
    const res = await s.patch(`/api/v2/tokens/${tokenId}`, [{ op: 'replace', path: '/customRoleIds', value: roleIds }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  it('404 naming a role that does not exist', async () => {
    const res = await s.del('/api/v2/roles/nope');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Custom role "nope" not found' });
  });

  it('409 while access tokens hold the role, saying how many and that they must drop it; deleted once none does', async () => {
    const role = (await s.post('/api/v2/roles', { key: 'held', name: 'Held', policy: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] })).body;
    const other = (await s.post('/api/v2/roles', { key: 'other', name: 'Other', policy: [] })).body;
    const ci = (await s.post('/api/v2/tokens', { name: 'ci', role: 'reader' })).body._id;
    const bot = (await s.post('/api/v2/tokens', { name: 'bot', role: 'reader' })).body._id;
    await holdRoles(ci, [other._id, role._id]);
    await holdRoles(bot, [role._id]);

    for (const [path, holders] of [
      ['/api/v2/roles/held', `2 access tokens hold it (${[ci, bot].sort().join(', ')})`],
      [`/api/v2/roles/${role._id}`, `2 access tokens hold it (${[ci, bot].sort().join(', ')})`],
    ]) {
      let res: Response | undefined;
      expect(await changedBy(s.store, async () => (res = await s.del(path)))).toBe(false);
      expect(res!.status).toBe(409);
      expect(res!.body.code).toBe('conflict');
      expect(res!.body.message).toBe(`Custom role "held" cannot be deleted: ${holders}; remove the role from their customRoleIds first`);
    }

    await holdRoles(ci, [other._id]);
    const one = await s.del('/api/v2/roles/held');
    expect(one.status).toBe(409);
    expect(one.body).toEqual({ code: 'conflict', message: `Custom role "held" cannot be deleted: 1 access token holds it (${bot}); remove the role from their customRoleIds first` });

    await holdRoles(bot, []);
    expect((await s.del('/api/v2/roles/held')).status).toBe(204);
    // The role the first token still holds is not deletable either.
    expect((await s.del('/api/v2/roles/other')).status).toBe(409);
  });

  it('names at most ten of the tokens that hold the role and counts the rest', async () => {
    const role = (await s.post('/api/v2/roles', { key: 'popular', name: 'Popular', policy: [] })).body;
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      const id = (await s.post('/api/v2/tokens', { name: `t${i}`, role: 'reader' })).body._id;
      await holdRoles(id, [role._id]);
      ids.push(id);
    }
    const res = await s.del('/api/v2/roles/popular');
    expect(res.status).toBe(409);
    expect(res.body.message).toBe(
      `Custom role "popular" cannot be deleted: 12 access tokens hold it (${ids.sort().slice(0, 10).join(', ')} and 2 more); remove the role from their customRoleIds first`,
    );
  });

  it('deleting twice: 404 the second time', async () => {
    await s.post('/api/v2/roles', { key: 'twice', name: 'Twice', policy: [] });
    expect((await s.del('/api/v2/roles/twice')).status).toBe(204);
    expect(await s.del('/api/v2/roles/twice')).toMatchObject({ status: 404, body: { code: 'not_found', message: 'Custom role "twice" not found' } });
  });
});
