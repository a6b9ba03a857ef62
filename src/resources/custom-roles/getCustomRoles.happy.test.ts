import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const keys = (res: { body: { items: { key: string }[] } }) => res.body.items.map((r) => r.key);
const link = (href: string) => ({ href, type: 'application/json' });

describe('getCustomRoles: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    let clock = Date.UTC(2026, 0, 1);
    s = await startServer({ now: () => (clock += 1000) });
  });
  afterAll(() => s.close());

  it('an empty list is an empty page', async () => {
    const res = await s.get('/api/v2/roles');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], _links: { self: link('/api/v2/roles?limit=20&offset=0') }, totalCount: 0 });
  });

  it('lists roles oldest first, 20 a page, with totalCount and links to the other pages', async () => {
    const created = [];
    for (let i = 0; i < 23; i++) {
      const key = `role-${String(i).padStart(2, '0')}`;
      const res = await s.post('/api/v2/roles', { key, name: `Role ${i}`, policy: [{ effect: 'allow', resources: [`proj/p${i}`], actions: ['*'] }] });
      expect(res.status).toBe(201);
      created.push(res.body);
    }
    const first = await s.get('/api/v2/roles');
    expect(first.status).toBe(200);
    expect(first.body.totalCount).toBe(23);
    expect(first.body.items).toEqual(created.slice(0, 20));
    expect(first.body._links).toEqual({
      self: link('/api/v2/roles?limit=20&offset=0'),
      next: link('/api/v2/roles?limit=20&offset=20'),
      last: link('/api/v2/roles?limit=20&offset=20'),
    });
    const second = await s.get('/api/v2/roles?limit=20&offset=20');
    expect(keys(second)).toEqual(['role-20', 'role-21', 'role-22']);
    expect(second.body._links).toEqual({
      self: link('/api/v2/roles?limit=20&offset=20'),
      first: link('/api/v2/roles?limit=20&offset=0'),
      prev: link('/api/v2/roles?limit=20&offset=0'),
    });
  });

  it('pages with limit and offset', async () => {
    const res = await s.get('/api/v2/roles?limit=2&offset=4');
    expect(keys(res)).toEqual(['role-04', 'role-05']);
    expect(res.body.totalCount).toBe(23);
    expect(res.body._links.next).toEqual(link('/api/v2/roles?limit=2&offset=6'));
    expect(res.body._links.prev).toEqual(link('/api/v2/roles?limit=2&offset=2'));
    expect(res.body._links.last).toEqual(link('/api/v2/roles?limit=2&offset=22'));
    expect(keys(await s.get('/api/v2/roles?offset=50'))).toEqual([]);
  });

  it('before API version 20240415 the list is not paginated: every role, unless a limit is asked for', async () => {
    const old = { headers: { 'LD-API-Version': '20220603' } };
    const all = await s.get('/api/v2/roles', old);
    expect(all.body.items).toHaveLength(23);
    expect(all.body.totalCount).toBe(23);
    expect(keys(await s.get('/api/v2/roles?limit=3', old))).toEqual(['role-00', 'role-01', 'role-02']);
  });

  it('shows a change and a deletion at once', async () => {
    await s.patch('/api/v2/roles/role-00', [{ op: 'replace', path: '/name', value: 'Renamed' }]);
    expect((await s.del('/api/v2/roles/role-01')).status).toBe(204);
    const res = await s.get('/api/v2/roles?limit=2');
    expect(res.body.items.map((r: { key: string; name: string }) => [r.key, r.name])).toEqual([
      ['role-00', 'Renamed'],
      ['role-02', 'Role 2'],
    ]);
    expect(res.body.totalCount).toBe(22);
  });
});
