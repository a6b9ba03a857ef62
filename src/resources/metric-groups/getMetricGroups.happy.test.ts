import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA, insertExperimentUsing } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

const keys = (res: { body: { items: { key: string }[] } }) => res.body.items.map((g) => g.key);

describe('getMetricGroups: happy path', () => {
  let s: TestServer;
  const list = (params = '') => s.get(`/api/v2/projects/shop/metric-groups${params}`, BETA);
  const filtered = (filter: string) => list(`?sort=createdAt&filter=${encodeURIComponent(filter)}`);
  beforeAll(async () => {
    let clock = Date.UTC(2026, 0, 1);
    s = await startServer({ now: () => (clock += 1000) });
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post('/api/v2/metrics/shop', { key: 'm', kind: 'custom', eventKey: 'm', isNumeric: false });
    const owner = s.deps.accountId;
    const groups = [
      { key: 'checkout', name: 'Checkout funnel', kind: 'funnel', metrics: [{ key: 'm', nameInGroup: 'Buy' }] },
      { key: 'kpi', name: 'Company KPIs', kind: 'standard', metrics: [{ key: 'm' }] },
      { key: 'archive', name: 'Archive test', kind: 'standard', metrics: [{ key: 'm' }] },
    ];
    for (const g of groups) expect((await s.post('/api/v2/projects/shop/metric-groups', { ...g, maintainerId: owner, tags: [] }, BETA)).status).toBe(201);
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'e1', status: 'running', refs: [{ kind: 'metric-group', key: 'kpi' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'e2', status: 'stopped', refs: [{ kind: 'metric-group', key: 'kpi' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'e3', status: 'not_started', refs: [{ kind: 'metric-group', key: 'checkout' }] });
  });
  afterAll(() => s.close());

  it('lists newest first with totalCount and links', async () => {
    const res = await list();
    expect(res.status).toBe(200);
    expect(keys(res)).toEqual(['archive', 'kpi', 'checkout']);
    expect(res.body.totalCount).toBe(3);
    expect(res.body._links).toEqual({
      parent: { href: '/api/v2/projects/shop', type: 'application/json' },
      self: { href: '/api/v2/projects/shop/metric-groups?limit=20&offset=0', type: 'application/json' },
    });
    expect(res.body.items[1].metrics[0]).toMatchObject({ key: 'm', kind: 'custom' });
  });

  it('sorts by name, creation and number of connected experiments', async () => {
    expect(keys(await list('?sort=name'))).toEqual(['archive', 'checkout', 'kpi']);
    expect(keys(await list('?sort=createdAt'))).toEqual(['checkout', 'kpi', 'archive']);
    expect(keys(await list('?sort=-connectionCount'))).toEqual(['kpi', 'checkout', 'archive']);
  });

  it('sorts by a comma-separated list of fields, as the spec documents', async () => {
    expect(keys(await list('?sort=-name,createdAt'))).toEqual(['kpi', 'checkout', 'archive']);
    // connectionCount 0, 1, 2; ties would fall to the name
    expect(keys(await list('?sort=connectionCount,-name'))).toEqual(['archive', 'checkout', 'kpi']);
    const page = await list('?sort=name,-createdAt&limit=1');
    expect(page.body._links.next.href).toBe('/api/v2/projects/shop/metric-groups?sort=name%2C-createdAt&limit=1&offset=1');
  });

  it("filters with LaunchDarkly's expression syntax", async () => {
    expect(keys(await filtered('kind equals funnel'))).toEqual(['checkout']);
    expect(keys(await filtered("query equals 'kpi'"))).toEqual(['kpi']);
    expect(keys(await filtered('query equals test'))).toEqual(['archive']);
    expect(keys(await filtered("experimentStatus equals 'running'"))).toEqual(['kpi']);
    expect(keys(await filtered("experimentStatus equals 'not_started' and query equals 'checkout'"))).toEqual(['checkout']);
    expect(keys(await filtered('experimentStatus equals started'))).toEqual(['kpi']);
    expect(keys(await filtered('hasConnections equals false'))).toEqual(['archive']);
    expect(keys(await filtered(`maintainerIds anyOf ["${s.deps.accountId}"]`))).toHaveLength(3);
    expect(keys(await filtered('maintainerTeamKey equals ops'))).toEqual([]);
  });

  it('pages with limit and offset and accepts (and ignores) expand', async () => {
    const res = await list('?sort=createdAt&limit=1&offset=1&expand=anything');
    expect(keys(res)).toEqual(['kpi']);
    expect(res.body._links.next.href).toBe('/api/v2/projects/shop/metric-groups?sort=createdAt&limit=1&offset=2');
    expect(res.body._links.prev.href).toBe('/api/v2/projects/shop/metric-groups?sort=createdAt&limit=1&offset=0');
  });
});
