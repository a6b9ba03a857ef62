// Views as the real tools drive them, over real HTTP. launchdarkly-api-typescript (17.x) has no Views API class, so
// these are the requests Terraform's provider sends through the Go client's ViewsBetaApi (launchdarkly_view,
// launchdarkly_view_links, and the view_keys of launchdarkly_feature_flag and launchdarkly_segment): the bodies it
// builds (ViewPost, ViewPatch, ViewLinkRequestKeys in chunks of 10, ViewLinkRequestSegmentIdentifiers,
// ViewLinkRequestFilter), its headers (the bare token in Authorization, LD-API-Version: beta), the reads it makes
// after each write (getView without expand; getLinkedResources and getLinkedViews in pages of 100 until totalCount),
// and the JSON Patch its earlier versions sent to updateView. Every answer is checked against the spec by the shared hook.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';

interface Answer {
  status: number;
  body: any;
}

describe("Views over HTTP as Terraform's provider drives them", () => {
  let s: TestServer;
  let env: { production: string; test: string };
  let ownerId: string;

  /** One request as the provider's clients send it. */
  async function call(method: string, path: string, body?: unknown): Promise<Answer> {
    const res = await fetch(`${s.url}${path}`, {
      method,
      // The Go client labels a body it sends, and sends no Content-Type without one (deleteView).
      headers: {
        Authorization: s.tokens.writer,
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        'LD-API-Version': 'beta',
        'User-Agent': 'launchdarkly-terraform-provider/2.26.0',
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }

  /** Every page of a list, 100 at a time, as the provider's fetchAllOffsetPages reads one. */
  async function all(path: string): Promise<any[]> {
    const items: any[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100&offset=${offset}`);
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      items.push(...page.body.items);
      if (items.length >= page.body.totalCount || page.body.items.length === 0) return items;
    }
  }

  beforeAll(async () => {
    s = await startServer({ listen: true });
    const project = await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' });
    expect(project.status).toBe(201);
    const id = (key: string) => project.body.environments.find((e: { key: string }) => e.key === key)._id;
    env = { production: id('production'), test: id('test') };
    ownerId = (await s.get('/api/v2/members/me')).body._id;
    for (let i = 0; i < 23; i++) expect((await s.post('/api/v2/flags/shop', { key: `flag-${String(i).padStart(2, '0')}`, name: `Flag ${i}`, tags: i % 2 ? ['backend', 'beta'] : ['frontend'] })).status).toBe(201);
    for (const key of ['beta-users', 'staff']) expect((await s.post('/api/v2/segments/shop/test', { key, name: key, tags: key === 'staff' ? ['backend'] : [] })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('launchdarkly_view: create, read, update, read, import by key, delete', async () => {
    // resourceViewCreate: ViewPost with what the configuration sets.
    const created = await call('POST', '/api/v2/projects/shop/views', { key: 'checkout', name: 'Checkout', description: 'Checkout squad', generateSdkKeys: true, maintainerId: ownerId, tags: ['team'] });
    expect(created.status).toBe(200);
    // viewRead: the fields the provider keeps, maintainer without expand.
    const read = (await call('GET', '/api/v2/projects/shop/views/checkout')).body;
    expect({ id: read.id, key: read.key, name: read.name, description: read.description, projectKey: read.projectKey, generateSdkKeys: read.generateSdkKeys, archived: read.archived, tags: read.tags }).toEqual({
      id: created.body.id,
      key: 'checkout',
      name: 'Checkout',
      description: 'Checkout squad',
      projectKey: 'shop',
      generateSdkKeys: true,
      archived: false,
      tags: ['team'],
    });
    expect(read.maintainer).toMatchObject({ kind: 'member', maintainerMember: { id: ownerId } });
    // resourceViewUpdate (current provider): a ViewPatch of what changed; the team replaces the member.
    const updated = await call('PATCH', '/api/v2/projects/shop/views/checkout', { name: 'Checkout squad', maintainerTeamKey: 'checkout-team', tags: ['team', 'web'] });
    expect(updated.status, JSON.stringify(updated.body)).toBe(400);
    expect(updated.body.message).toBe('maintainerTeamKey: no team has the key "checkout-team"');
    expect((await s.post('/api/v2/teams', { key: 'checkout-team', name: 'Checkout team' })).status).toBe(201);
    const patched = await call('PATCH', '/api/v2/projects/shop/views/checkout', { name: 'Checkout squad', maintainerTeamKey: 'checkout-team', tags: ['team', 'web'] });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Checkout squad', tags: ['team', 'web'], version: 2, maintainer: { kind: 'team', maintainerTeam: { key: 'checkout-team' } } });
    // The provider's earlier versions: a JSON Patch (replace what changed, remove a maintainer no longer set).
    const jsonPatched = await call('PATCH', '/api/v2/projects/shop/views/checkout', [
      { op: 'replace', path: '/description', value: 'Managed elsewhere' },
      { op: 'replace', path: '/archived', value: true },
      { op: 'remove', path: '/maintainerTeamKey' },
    ]);
    expect(jsonPatched.body).toMatchObject({ description: 'Managed elsewhere', archived: true, version: 3 });
    expect(jsonPatched.body.maintainer).toBeUndefined();
    // The data source and viewExists read the same; a deleted view is a 404 the provider removes from state.
    expect((await call('DELETE', '/api/v2/projects/shop/views/checkout')).status).toBe(204);
    const gone = await call('GET', '/api/v2/projects/shop/views/checkout');
    expect(gone).toEqual({ status: 404, body: { code: 'not_found', message: 'View "checkout" in project "shop" not found' } });
  });

  it('launchdarkly_view_links: flags linked in chunks of 10, read back in pages, changed, unlinked', async () => {
    expect((await call('POST', '/api/v2/projects/shop/views', { key: 'links', name: 'Links' })).status).toBe(200);
    const keys = Array.from({ length: 23 }, (_, i) => `flag-${String(i).padStart(2, '0')}`);
    for (let i = 0; i < keys.length; i += 10) {
      const res = await call('POST', '/api/v2/projects/shop/views/links/link/flags', { keys: keys.slice(i, i + 10), comment: 'Managed by Terraform' });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ successCount: keys.slice(i, i + 10).length, failureCount: 0 });
    }
    const linked = await all('/api/v2/projects/shop/views/links/linked/flags');
    expect(linked.map((item) => item.resourceKey).sort()).toEqual(keys);
    expect(linked.every((item) => item.resourceType === 'flag' && typeof item.linkedAt === 'number')).toBe(true);
    // An update: unlink what left the set, link what joined it.
    expect((await call('DELETE', '/api/v2/projects/shop/views/links/link/flags', { keys: keys.slice(0, 5), comment: 'Managed by Terraform' })).body).toEqual({ successCount: 5, failureCount: 0 });
    expect((await all('/api/v2/projects/shop/views/links/linked/flags')).length).toBe(18);
    // The flag resource's view_keys: the views containing a flag, through view-associations.
    const views = await all('/api/v2/projects/shop/view-associations/flags/flag-07');
    expect(views.map((view) => view.key)).toEqual(['links']);
    expect(await all('/api/v2/projects/shop/view-associations/flags/flag-00')).toEqual([]);
    // Destroy: unlink every flag.
    expect((await call('DELETE', '/api/v2/projects/shop/views/links/link/flags', { keys: keys.slice(5), comment: 'Managed by Terraform' })).body).toEqual({ successCount: 18, failureCount: 0 });
    expect(await all('/api/v2/projects/shop/views/links/linked/flags')).toEqual([]);
  });

  it('segments by identifier, and links by filter (the spec\'s examples)', async () => {
    expect((await call('POST', '/api/v2/projects/shop/views', { key: 'segments', name: 'Segments' })).status).toBe(200);
    const identifiers = { segmentIdentifiers: [{ environmentId: env.test, segmentKey: 'beta-users' }] };
    expect((await call('POST', '/api/v2/projects/shop/views/segments/link/segments', identifiers)).body).toMatchObject({ successCount: 1, failureCount: 0 });
    const linked = await all('/api/v2/projects/shop/views/segments/linked/segments');
    expect(linked.map((item) => [item.resourceKey, item.environmentId])).toEqual([['beta-users', env.test]]);
    expect((await all(`/api/v2/projects/shop/view-associations/segments/beta-users?environmentId=${env.test}`)).map((view) => view.key)).toEqual(['segments']);
    // ViewLinkRequestFilter: a segment filter needs its environment; the flag filter is LaunchDarkly's example.
    const bySegmentFilter = await call('POST', '/api/v2/projects/shop/views/segments/link/segments', { filter: 'tags anyOf ["backend"]', environmentId: env.test });
    expect(bySegmentFilter.body.linkedResources.items.map((item: { resourceKey: string }) => item.resourceKey)).toEqual(['staff']);
    const byFlagFilter = await call('POST', '/api/v2/projects/shop/views/segments/link/flags', { filter: `maintainerId:${ownerId},tags:backend+beta` });
    expect(byFlagFilter.body).toMatchObject({ successCount: 11, failureCount: 0 });
    const summary = (await call('GET', '/api/v2/projects/shop/views/segments?expand=resourceSummary')).body.resourceSummary;
    expect(summary).toEqual({ flagCount: 11, segmentCount: 2, totalCount: 13 });
    expect((await call('DELETE', '/api/v2/projects/shop/views/segments/link/segments', identifiers)).body).toEqual({ successCount: 1, failureCount: 0 });
  });
});
