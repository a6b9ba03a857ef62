// getApplicationVersions: an application's versions, filtered (key, name, autoAdded, supported), sorted and paged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverWithApplications } from '../../../test/support/applications.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import type { TestServer } from '../../../test/support/server.js';

const T0 = Date.UTC(2026, 0, 1);

describe('getApplicationVersions', () => {
  let s: TestServer;
  let list: (path: string) => Promise<string[]>;
  const keys = (query: string) => list(`/api/v2/applications/cafe/versions${query}`);

  beforeAll(async () => {
    const versions = ['10 application-version-name/v1.0', '20 application-version-name/v2.0', '30'];
    ({ s, keys: list } = await serverWithApplications(versions.map((version) => `application-id/cafe application-version/${version}`), T0));
    expect((await s.patch('/api/v2/applications/cafe/versions/10', [{ op: 'replace', path: '/supported', value: false }], BETA)).status).toBe(200);
  });
  afterAll(() => s.close());

  it('lists oldest first, 50 a page by default, with links', async () => {
    const res = await s.get('/api/v2/applications/cafe/versions', BETA);
    expect(res.body).toEqual({
      _links: { self: { href: '/api/v2/applications/cafe/versions?limit=50&offset=0', type: 'application/json' } },
      items: [
        { _links: { parent: { href: '/api/v2/applications/cafe', type: 'application/json' } }, _version: 2, autoAdded: true, creationDate: T0, key: '10', name: 'v1.0', supported: false },
        { _links: { parent: { href: '/api/v2/applications/cafe', type: 'application/json' } }, _version: 1, autoAdded: true, creationDate: T0 + 1_000, key: '20', name: 'v2.0', supported: true },
        { _links: { parent: { href: '/api/v2/applications/cafe', type: 'application/json' } }, _version: 1, autoAdded: true, creationDate: T0 + 2_000, key: '30', name: '30', supported: true },
      ],
      totalCount: 3,
    });
    expect(await keys('?limit=1&offset=1')).toEqual(['20']);
  });

  it('filters and sorts', async () => {
    const filter = (text: string, sort = 'name') => keys(`?sort=${sort}&filter=${encodeURIComponent(text)}`);
    expect(await filter('supported equals false')).toEqual(['10']);
    expect(await filter('supported notEquals false')).toEqual(['30', '20']);
    expect(await filter('name startsWith V', '-creationDate')).toEqual(['20', '10']);
    expect(await filter('key anyOf ["10","30"]|autoAdded equals false')).toEqual(['30', '10']);
  });
});
