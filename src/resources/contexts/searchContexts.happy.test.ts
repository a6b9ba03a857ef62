// searchContexts: every context the SDKs sent (each kind and key once per application), most recently seen first,
// filtered by LaunchDarkly's context filter, a page at a time.
import { describe, expect, it } from 'vitest';
import { NODE_SDK, seededServer, SEEN } from '../../../test/support/contexts.js';

describe('searchContexts', () => {
  const world = seededServer();
  const search = (body: Record<string, unknown>, query = '') => world.s.post(`${world.base}/contexts/search${query}`, body);
  const keys = (body: { items: { context: { kind: string; key: string } }[] }) => body.items.map((i) => `${i.context.kind}:${i.context.key}`);

  it('lists each context once per application, most recently seen first, with its latest attributes', async () => {
    const res = await search({});
    expect(res.status).toBe(200);
    const environmentId = (await world.s.get(world.base)).body._id;
    expect(res.body).toMatchObject({ _environmentId: environmentId, totalCount: 5 });
    expect(keys(res.body)).toEqual(['user:kai', 'user:sandy', 'org:launchdarkly', 'user:henry', 'org:launchdarkly']);
    const [kai, sandy, orgInWebApp, henry] = res.body.items;
    expect(sandy).toEqual({
      lastSeen: new Date(SEEN.sandy).toISOString(),
      applicationId: NODE_SDK,
      context: { kind: 'user', key: 'sandy', name: 'Sandy S.', email: 'sandy@example.com', country: 'NZ', tags: ['beta', 'pro'], address: { city: 'Wellington' } },
      associatedContexts: 0,
      _links: {
        parent: { href: world.base, type: 'application/json' },
        self: { href: `${world.base}/contexts/user/sandy?filter=${encodeURIComponent(`applicationId equals "${NODE_SDK}"`)}`, type: 'application/json' },
        site: { href: '/shop/production/contexts/context/user/sandy', type: 'text/html' },
      },
    });
    expect(orgInWebApp).toMatchObject({ applicationId: 'web-app', context: { kind: 'org', key: 'launchdarkly', tier: 'platinum' } });
    // Henry was seen with the org (the anonymous device is not an associated context).
    expect(henry).toMatchObject({ context: { kind: 'user', key: 'henry', name: 'Henry Jacobs' }, associatedContexts: 1 });
    expect(kai.context).toEqual({ kind: 'user', key: 'kai', name: 'Kai', country: 'NZ', _meta: { redactedAttributes: ['email'] } });
  });

  it('filters: kind, key, applicationId, attributes of one kind or any, q, and | and parentheses', async () => {
    const cases: [string, string[]][] = [
      ['kind equals "org"', ['org:launchdarkly', 'org:launchdarkly']],
      ['kind anyOf ["org"],applicationId equals "web-app"', ['org:launchdarkly']],
      ['key startsWith "sa"', ['user:sandy']],
      ['kindKey equals "user:henry"', ['user:henry']],
      ['kindKeys contains ["user:kai"]', ['user:kai']],
      ['user.country equals NZ', ['user:kai', 'user:sandy']],
      ['*.name startsWith "Launch"', ['org:launchdarkly', 'org:launchdarkly']],
      // An attribute alone is of any kind, as LaunchDarkly's `location equals Springfield` is.
      ['country equals NZ', ['user:kai', 'user:sandy']],
      ['tier anyOf ["gold","platinum"]', ['org:launchdarkly', 'org:launchdarkly']],
      ['colour equals red', []],
      // A field may be written as a JSON string.
      ['"user.country" equals NZ', ['user:kai', 'user:sandy']],
      ['"user./address/city" equals Wellington,"country" equals NZ', ['user:sandy']],
      ['org.tier anyOf ["gold","silver"]|org.tier equals platinum', ['org:launchdarkly', 'org:launchdarkly']],
      ['org.tier anyOf ["gold","silver"]', ['org:launchdarkly']],
      ['user./address/city equals Wellington', ['user:sandy']],
      ['user.tags contains ["pro"]', ['user:sandy']],
      ['name exists false', []],
      ['user.email exists true', ['user:sandy']],
      ['q equals "jacobs"', ['user:henry']],
      ['kind equals user,(key equals kai|key equals henry)', ['user:kai', 'user:henry']],
      ['applicationId notEquals "web-app",kind equals org', ['org:launchdarkly']],
      // LaunchDarkly's links write some filters the older way.
      ['kind:{"equals": ["org"]}', ['org:launchdarkly', 'org:launchdarkly']],
      ['applicationId:"web-app"', ['org:launchdarkly']],
    ];
    for (const [filter, expected] of cases) {
      const res = await search({ filter });
      expect(res.status, `${filter}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(keys(res.body), filter).toEqual(expected);
    }
    // The same filter in the query.
    expect(keys((await search({}, `?filter=${encodeURIComponent('kind equals org')}`)).body)).toEqual(['org:launchdarkly', 'org:launchdarkly']);
  });

  it('pages: limit, continuationToken and the next link; ts sorts oldest first; includeTotalCount=false omits the count', async () => {
    // Henry and the org he came with were seen at the same moment: their order is fixed, whichever it is.
    const first = await search({ limit: 2, sort: 'ts' });
    expect(keys(first.body)).toEqual(['org:launchdarkly', 'user:henry']);
    expect(first.body.totalCount).toBe(5);
    expect(first.body._links.next.href).toContain(`continuationToken=${first.body.continuationToken}`);
    const second = await search({ limit: 2, sort: 'ts', continuationToken: first.body.continuationToken });
    expect(keys(second.body)).toEqual(['org:launchdarkly', 'user:sandy']);
    const nextUrl = new URL(second.body._links.next.href, 'http://x');
    const third = await world.s.post(`${nextUrl.pathname}${nextUrl.search}`, {});
    expect(keys(third.body)).toEqual(['user:kai']);
    expect(third.body).not.toHaveProperty('continuationToken');
    expect(third.body._links).not.toHaveProperty('next');
    expect((await search({}, '?includeTotalCount=false')).body).not.toHaveProperty('totalCount');
  });
});
