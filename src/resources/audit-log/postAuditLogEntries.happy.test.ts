// postAuditLogEntries with the official client's AuditLogApi, and postAuditLogEntryCounts: statements pick entries
// by action and resource (allow, deny, notResources, notActions, globs), beside GET's query parameters; the counts
// split a range into equal buckets.
import { AuditLogApi, Configuration } from 'launchdarkly-api-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postAuditLogEntries and postAuditLogEntryCounts', () => {
  let s: TestServer;
  let audit: AuditLogApi;
  const start = Date.UTC(2026, 0, 1);
  let clock = start;
  beforeAll(async () => {
    s = await startServer({ listen: true, now: () => clock });
    audit = new AuditLogApi(new Configuration({ apiKey: s.tokens.reader, basePath: s.url }));
    const at = async (ms: number, act: () => Promise<{ status: number }>, status = 201) => {
      clock = start + ms;
      expect((await act()).status).toBe(status);
    };
    await at(1000, () => s.post('/api/v2/projects', { name: 'Shop', key: 'shop' }));
    await at(2000, () => s.post('/api/v2/flags/shop', { name: 'Checkout', key: 'checkout' }));
    await at(3000, () => s.post('/api/v2/metrics/shop', { key: 'signup', kind: 'custom', eventKey: 'signup', isNumeric: false }));
    await at(4000, () => s.patch('/api/v2/flags/shop/checkout', [{ op: 'replace', path: '/environments/production/on', value: true }]), 200);
    await at(5000, () => s.post('/api/v2/projects', { name: 'Blog', key: 'blog' }));
    await at(6000, () => s.post('/api/v2/flags/blog', { name: 'Dark mode', key: 'dark-mode' }));
    clock = start + 10_000;
  });
  afterAll(() => s.close());

  const search = async (statements?: unknown[], query = '') => {
    const res = await s.post(`/api/v2/auditlog${query}`, statements, { token: s.tokens.reader });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body.items.map((e: { accesses: { action: string; resource: string }[] }) => `${e.accesses[0].action} ${e.accesses[0].resource}`);
  };

  it('statements pick entries by resource and action, through the official client', async () => {
    const { status, data } = await audit.postAuditLogEntries(undefined, undefined, undefined, undefined, [{ effect: 'allow', resources: ['proj/shop:env/*:flag/*'], actions: ['*'] }]);
    expect(status).toBe(200);
    expect(data.items.map((e) => `${e.accesses[0].action} ${e.accesses[0].resource}`)).toEqual(['updateOn proj/shop:env/production:flag/checkout', 'createFlag proj/shop:env/*:flag/checkout']);
    expect(await search([{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['create*'] }])).toEqual(['createFlag proj/blog:env/*:flag/dark-mode', 'createFlag proj/shop:env/*:flag/checkout']);
  });

  it("a flag update is picked by the actions of what it changed (updateOn), as LaunchDarkly's entries name them", async () => {
    expect(await search([{ effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['updateOn'] }])).toEqual(['updateOn proj/shop:env/production:flag/checkout']);
    expect(await search([{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['updateName', 'updateFallthrough'] }])).toEqual([]);
    expect(await search([{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['update*'] }, { effect: 'deny', resources: ['*'], actions: ['updateOn'] }])).toEqual([]);
  });

  it('deny wins; notResources and notActions pick what they do not name', async () => {
    // A specifier names resources of its own depth: the shop's flags, not the shop or its metrics.
    expect(await search([{ effect: 'allow', resources: ['*'], actions: ['*'] }, { effect: 'deny', resources: ['proj/shop:env/*:flag/*'], actions: ['*'] }])).toEqual([
      'createFlag proj/blog:env/*:flag/dark-mode',
      'createProject proj/blog',
      'createMetric proj/shop:metric/signup',
      'createProject proj/shop',
    ]);
    expect(await search([{ effect: 'allow', notResources: ['proj/*:env/*:flag/*'], notActions: ['createProject'] }])).toEqual(['createMetric proj/shop:metric/signup']);
    // Tags and attribute filters are ignored, colons inside braces included.
    expect(await search([{ effect: 'allow', resources: ['proj/blog;web:env/*;{critical:true}:flag/*;beta'], actions: ['*'] }])).toEqual(['createFlag proj/blog:env/*:flag/dark-mode']);
  });

  it('no statements, or an empty list, pick every entry; the query parameters apply as on GET', async () => {
    const all = (await s.get('/api/v2/auditlog')).body.items.length;
    expect(await search()).toHaveLength(all);
    expect(await search([])).toHaveLength(all);
    // The body is optional: `{}` (what the TypeScript client sends without statements), `null` (ldcli's) and an empty
    // body labelled JSON pick every entry too.
    for (const raw of ['{}', 'null', '']) {
      const res = await s.request('POST', '/api/v2/auditlog', { raw, headers: { 'content-type': 'application/json' } });
      expect(res.status, raw).toBe(200);
      expect(res.body.items, raw).toHaveLength(all);
    }
    expect(await search([{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }], `?after=${start + 2000}`)).toEqual(['createProject proj/blog']);
    expect(await search([], '?q=signup')).toEqual(['createMetric proj/shop:metric/signup']);
    const page = await s.post('/api/v2/auditlog?limit=2', [{ effect: 'allow', resources: ['*'], actions: ['*'] }]);
    expect(page.body.items).toHaveLength(2);
    expect(page.body._links.next.href).toMatch(/^\/api\/v2\/auditlog\?limit=2&before=\d+&cursor=[0-9a-f]{24}$/);
  });

  it('counts: the entries picked in each of the buckets between after and before', async () => {
    const res = await s.post(`/api/v2/auditlog/counts?after=${start}&before=${start + 6001}&buckets=3`, [{ effect: 'allow', resources: ['proj/*:env/*:flag/*'], actions: ['*'] }]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      buckets: [
        { timestamp: start, count: 1 },
        { timestamp: start + 2001, count: 1 },
        { timestamp: start + 4002, count: 1 },
      ],
      totalCount: 3,
      bucketIntervalMs: 2001,
    });
    // `before` defaults to now; 50 buckets by default; after is exclusive.
    const all = await s.post(`/api/v2/auditlog/counts?after=${start + 1000}`, []);
    expect(all.body.buckets).toHaveLength(50);
    expect(all.body).toMatchObject({ totalCount: 5, bucketIntervalMs: 180 });
  });

  it('a segment, project, environment or metric update is named by the actions of what it changed', async () => {
    const changes: [string, unknown, string][] = [
      ['/api/v2/segments/blog/production/readers', [{ op: 'add', path: '/included/-', value: 'ada' }, { op: 'replace', path: '/name', value: 'Readers!' }], 'updateName updateIncluded'],
      ['/api/v2/projects/blog/environments/test', [{ op: 'replace', path: '/color', value: '00ff00' }], 'updateColor'],
      ['/api/v2/metrics/blog/views', [{ op: 'replace', path: '/description', value: 'seen' }], 'updateDescription'],
      ['/api/v2/projects/blog', [{ op: 'replace', path: '/name', value: 'Blog!' }], 'updateProjectName'],
    ];
    clock = start + 20_000;
    expect((await s.post('/api/v2/segments/blog/production', { key: 'readers', name: 'Readers' })).status).toBe(201);
    expect((await s.post('/api/v2/metrics/blog', { key: 'views', kind: 'pageview', urls: [{ kind: 'substring', substring: '/post' }] })).status).toBe(201);
    for (const [path, patch] of changes) expect((await s.patch(path, patch)).status).toBe(200);
    const entries = (await s.get(`/api/v2/auditlog?limit=4&after=${start + 19_999}`)).body.items;
    expect(entries.map((e: { accesses: { action: string }[] }) => e.accesses.map((a) => a.action).join(' '))).toEqual(changes.map(([, , actions]) => actions).reverse());
    expect(await search([{ effect: 'allow', resources: ['proj/blog:env/*:segment/*'], actions: ['updateIncluded'] }], `?after=${start + 19_999}`)).toEqual(['updateName proj/blog:env/production:segment/readers']);
  });

  it("a resource LaunchDarkly names without a key (acct, ip-allowlist) is accepted and picks that resource's entries", async () => {
    expect((await s.post('/api/v2/account/ip-allowlist', { ipAddress: '203.0.113.0/24' }, { headers: { 'LD-API-Version': 'beta' } })).status).toBe(201);
    const picked = await search([{ effect: 'allow', resources: ['ip-allowlist'], actions: ['*'] }]);
    expect(picked).toHaveLength(1);
    expect(picked[0]).toMatch(/^createIpAllowlistEntry ip-allowlist\//);
    expect(await search([{ effect: 'allow', resources: ['acct'], actions: ['*'] }])).toEqual([]);
    expect(await search([{ effect: 'allow', resources: ['*'], actions: ['*'] }, { effect: 'deny', resources: ['ip-allowlist'], actions: ['*'] }])).not.toContain(picked[0]);
    expect((await s.get(`/api/v2/auditlog?spec=ip-allowlist`)).body.items).toHaveLength(1);
  });
});
