// GET /api/v2/tags with the official client's TagsApi: the tags in use on projects, environments, flags, segments
// and metrics, each once, filtered by kind and prefix, archived flags' only when asked, paged with links.
import { Configuration, TagsApi } from 'launchdarkly-api-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getTags', () => {
  let s: TestServer;
  let tags: TagsApi;
  beforeAll(async () => {
    s = await startServer({ listen: true });
    tags = new TagsApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    const ok = async (res: Promise<{ status: number; body: unknown }>, status: number) => expect((await res).status, JSON.stringify((await res).body)).toBe(status);
    await ok(s.post('/api/v2/projects', { key: 'shop', name: 'Shop', tags: ['team-shop'], environments: [{ key: 'production', name: 'Production', color: '417505', tags: ['prod'] }] }), 201);
    await ok(s.post('/api/v2/flags/shop', { key: 'banner', name: 'Banner', tags: ['ui', 'ops'] }), 201);
    await ok(s.post('/api/v2/flags/shop', { key: 'old', name: 'Old', tags: ['legacy'] }), 201);
    await ok(s.patch('/api/v2/flags/shop/old', [{ op: 'replace', path: '/archived', value: true }]), 200);
    await ok(s.post('/api/v2/segments/shop/production', { key: 'testers', name: 'Testers', tags: ['ops', 'qa'] }), 201);
    await ok(s.post('/api/v2/metrics/shop', { key: 'clicks', name: 'Clicks', kind: 'custom', eventKey: 'click', isNumeric: false, tags: ['growth'] }), 201);
  });
  afterAll(() => s.close());

  it('every tag in use, once each, in order, with its count and a self link', async () => {
    const { status, data } = await tags.getTags();
    expect(status).toBe(200);
    expect(data.items).toEqual(['growth', 'ops', 'prod', 'qa', 'team-shop', 'ui']);
    expect(data.totalCount).toBe(6);
    expect(data._links.self.href).toBe('/api/v2/tags?limit=1000&offset=0');
  });

  it('by kind, repeated as the client sends it, and by prefix', async () => {
    expect((await tags.getTags(['flag', 'segment'])).data.items).toEqual(['ops', 'qa', 'ui']);
    expect((await tags.getTags(['project'])).data.items).toEqual(['team-shop']);
    expect((await tags.getTags(['environment'])).data.items).toEqual(['prod']);
    expect((await tags.getTags(['metric'])).data.items).toEqual(['growth']);
    // Kinds iterlab does not have are valid and tag nothing.
    expect((await tags.getTags(['aiconfig', 'view', 'metric-data-source'])).data).toMatchObject({ items: [], totalCount: 0 });
    expect((await tags.getTags(undefined, 'o')).data.items).toEqual(['ops']);
  });

  it('archived flags\' tags only when asked', async () => {
    expect((await tags.getTags(['flag'])).data.items).toEqual(['ops', 'ui']);
    expect((await tags.getTags(['flag'], undefined, true)).data.items).toEqual(['legacy', 'ops', 'ui']);
  });

  it('pages by limit and offset, with next and prev links that keep the filters', async () => {
    const first = (await tags.getTags(undefined, undefined, undefined, 2)).data;
    expect(first).toMatchObject({ items: ['growth', 'ops'], totalCount: 6 });
    expect(first._links.next.href).toBe('/api/v2/tags?limit=2&offset=2');
    const second = (await tags.getTags(['flag', 'segment'], undefined, true, 2, 2)).data;
    expect(second).toMatchObject({ items: ['qa', 'ui'], totalCount: 4 });
    expect(second._links.prev.href).toBe('/api/v2/tags?kind=flag%2Csegment&archived=true&limit=2&offset=0');
    // asOf is accepted: tags are read as they are now.
    expect((await tags.getTags(['metric'], undefined, undefined, undefined, undefined, String(Date.now()))).data.items).toEqual(['growth']);
  });
});
