// getSearchUsers: LaunchDarkly's legacy user search — q, filter (attribute:value), after, sort with sortValue, and
// paging by searchAfter (the next link) or the deprecated offset.
import { describe, expect, it } from 'vitest';
import { SEEN } from '../../../test/support/contexts.js';
import { ABBIE_SEEN, usersServer } from '../../../test/support/users.js';

const SEARCH = '/api/v2/user-search/shop/production';

describe('getSearchUsers', () => {
  const world = usersServer();
  const keys = async (query: string) => {
    const res = await world.s.get(`${SEARCH}?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return (res.body.items as { user: { key: string } }[]).map((i) => i.user.key);
  };

  it('q: the key, name, first or last name or email holds the text, whatever its case; not other attributes', async () => {
    expect(await keys('q=SAND')).toEqual(['sandy']);
    expect(await keys('q=example.com')).toEqual(['abbie', 'sandy']);
    expect(await keys('q=braun')).toEqual(['abbie']);
    expect(await keys('q=NZ')).toEqual([]);
  });

  it('filter: each attribute:value holds (built-in or custom, a list by any element, values as text); totalCount counts the matches', async () => {
    expect(await keys('filter=country:NZ')).toEqual(['kai', 'sandy']);
    expect(await keys('filter=country:NZ,name:Kai')).toEqual(['kai']);
    expect(await keys('filter=activeTrial:false')).toEqual(['abbie']);
    expect(await keys('filter=groups:pro')).toEqual(['abbie']);
    expect(await keys(`filter=${encodeURIComponent('firstName:Abbie,ip:127')}`)).toEqual(['abbie']);
    expect((await world.s.get(`${SEARCH}?filter=country:NZ`)).body.totalCount).toBe(2);
  });

  it('after: users seen then or since', async () => {
    expect(await keys(`after=${SEEN.sandy}`)).toEqual(['kai', 'sandy']);
  });

  it('sort by lastSeen or userKey (- descending) gives each its sortValue; without sort there is none', async () => {
    const res = await world.s.get(`${SEARCH}?sort=-lastSeen`);
    expect(res.body.items.map((i: { user: { key: string }; sortValue: number }) => [i.user.key, i.sortValue])).toEqual([
      ['kai', SEEN.kai],
      ['sandy', SEEN.sandy],
      ['henry', SEEN.henryAtLaunchDarkly],
      ['abbie', ABBIE_SEEN],
    ]);
    expect((await world.s.get(`${SEARCH}?sort=-userKey&limit=1`)).body.items[0]).toMatchObject({ user: { key: 'sandy' }, sortValue: 'sandy' });
    expect((await world.s.get(`${SEARCH}?limit=1`)).body.items[0]).not.toHaveProperty('sortValue');
  });

  it('next links page through a sorted search, keeping its parameters in name order; searchAfter also takes a sortValue', async () => {
    const seen: string[] = [];
    let href: string | undefined = `${SEARCH}?sort=lastSeen&limit=3&after=${ABBIE_SEEN}`;
    const first = await world.s.get(href);
    expect(first.body._links).toEqual({
      self: { href: `${SEARCH}?after=${ABBIE_SEEN}&limit=3&sort=lastSeen`, type: 'application/json' },
      next: { href: `${SEARCH}?after=${ABBIE_SEEN}&limit=3&searchAfter=${SEEN.sandy}%3Asandy&sort=lastSeen`, type: 'application/json' },
    });
    for (; href; href = (await world.s.get(href)).body._links.next?.href) seen.push(...(await world.s.get(href)).body.items.map((i: { user: { key: string } }) => i.user.key));
    expect(seen).toEqual(['abbie', 'henry', 'sandy', 'kai']);
    expect(await keys(`sort=lastSeen&searchAfter=${SEEN.henryAtLaunchDarkly}`)).toEqual(['sandy', 'kai']);
    expect(await keys('sort=-userKey&searchAfter=kai')).toEqual(['henry', 'abbie']);
  });

  it('offset (deprecated) skips that many matches', async () => {
    expect(await keys('offset=1&limit=2')).toEqual(['henry', 'kai']);
  });
});
