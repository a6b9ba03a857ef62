// getApplications and getApplication: every application the SDKs named, filtered (key, name, kind, autoAdded; `,` and,
// `|` or, parentheses; not case-sensitive), sorted (name, creationDate, either way), paged with links; expand=flags.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverWithApplications } from '../../../test/support/applications.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import type { TestServer } from '../../../test/support/server.js';

const T0 = Date.UTC(2026, 0, 1);

describe('getApplications / getApplication', () => {
  let s: TestServer;
  let list: (path: string) => Promise<string[]>;
  const keys = (query: string) => list(`/api/v2/applications${query}`);

  beforeAll(async () => {
    // Created a second apart, in this order: zeta (server), Alpha (server, then made mobile), beta (server).
    ({ s, keys: list } = await serverWithApplications(['application-id/zeta application-name/Zeta', 'application-id/alpha application-name/Alpha', 'application-id/beta'], T0));
    expect((await s.patch('/api/v2/applications/alpha', [{ op: 'replace', path: '/kind', value: 'mobile' }], BETA)).status).toBe(200);
  });
  afterAll(() => s.close());

  it('lists oldest first, with totalCount and paging links', async () => {
    const res = await s.get('/api/v2/applications?limit=2', BETA);
    expect(res.body.totalCount).toBe(3);
    expect(res.body.items.map((item: { key: string }) => item.key)).toEqual(['zeta', 'alpha']);
    expect(res.body.items[0]).toEqual({
      _links: { self: { href: '/api/v2/applications/zeta', type: 'application/json' }, versions: { href: '/api/v2/applications/zeta/versions', type: 'application/json' } },
      _version: 1,
      autoAdded: true,
      creationDate: T0,
      key: 'zeta',
      kind: 'server',
      name: 'Zeta',
    });
    expect(res.body._links.self.href).toBe('/api/v2/applications?limit=2&offset=0');
    expect(res.body._links.next.href).toBe('/api/v2/applications?limit=2&offset=2');
    expect(await keys('?limit=2&offset=2')).toEqual(['beta']);
  });

  it('sorts by name or creationDate, either way', async () => {
    expect(await keys('?sort=name')).toEqual(['alpha', 'beta', 'zeta']);
    expect(await keys('?sort=-name')).toEqual(['zeta', 'beta', 'alpha']);
    expect(await keys('?sort=-creationDate')).toEqual(['beta', 'alpha', 'zeta']);
  });

  it('filters on key, name, kind and autoAdded, combined', async () => {
    const filter = (text: string) => keys(`?sort=name&filter=${encodeURIComponent(text)}`);
    expect(await filter('key equals zeta')).toEqual(['zeta']);
    expect(await filter('key notEquals zeta')).toEqual(['alpha', 'beta']);
    expect(await filter('key anyOf ["alpha", "BETA"]')).toEqual(['alpha', 'beta']);
    expect(await filter('name startsWith "al"')).toEqual(['alpha']);
    expect(await filter('name equals "ZETA"')).toEqual(['zeta']);
    expect(await filter('kind equals mobile')).toEqual(['alpha']);
    expect(await filter('kind anyOf ["mobile", "browser"]')).toEqual(['alpha']);
    expect(await filter('autoAdded equals true')).toEqual(['alpha', 'beta', 'zeta']);
    expect(await filter('autoAdded equals false')).toEqual([]);
    expect(await filter('kind equals server,key notEquals beta')).toEqual(['zeta']);
    expect(await filter('kind equals mobile|key equals beta')).toEqual(['alpha', 'beta']);
    expect(await filter('(kind equals mobile|key equals beta),name startsWith b')).toEqual(['beta']);
  });

  it('getApplication: one application; expand=flags adds the flags it evaluated (none yet)', async () => {
    const one = await s.get('/api/v2/applications/alpha', BETA);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ key: 'alpha', name: 'Alpha', kind: 'mobile', _version: 2, creationDate: T0 + 1_000 });
    expect((await s.get('/api/v2/applications/alpha?expand=flags', BETA)).body.flags).toEqual({ items: [], totalCount: 0 });
    const listed = await s.get('/api/v2/applications?expand=flags&limit=1', BETA);
    expect(listed.body.items[0].flags).toEqual({ items: [], totalCount: 0 });
    expect(listed.body._links.next.href).toBe('/api/v2/applications?expand=flags&limit=1&offset=1');
  });
});
