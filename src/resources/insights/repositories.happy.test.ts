// getInsightsRepositories, associateRepositoriesAndProjects, deleteRepositoryProject: the code references
// repositories with the projects associated here; associating is idempotent, removing 204; audit entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insightsWorld, type InsightsWorld } from '../../../test/support/insights.js';

const REPOS = '/api/v2/engineering-insights/repositories';

describe('Insights repositories', () => {
  let w: InsightsWorld;
  beforeAll(async () => {
    w = await insightsWorld();
    expect((await w.s.post('/api/v2/code-refs/repositories', { name: 'billing', sourceLink: 'https://github.com/acme/billing', type: 'github', defaultBranch: 'main' })).status).toBe(200);
    expect((await w.s.post('/api/v2/code-refs/repositories', { name: 'web', type: 'gitlab' })).status).toBe(200);
    expect((await w.s.post('/api/v2/projects', { key: 'ops', name: 'Ops' })).status).toBe(201);
  });
  afterAll(() => w.s.close());

  it('lists the code references repositories; expand=projects adds their projects', async () => {
    const res = await w.get(REPOS);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      totalCount: 2,
      items: [
        { _id: expect.stringMatching(/^[0-9a-f-]{36}$/), version: 1, key: 'billing', type: 'github', url: 'https://github.com/acme/billing', mainBranch: 'main' },
        { _id: expect.any(String), version: 1, key: 'web', type: 'gitlab', url: '', mainBranch: 'main' },
      ],
      _links: { self: { href: REPOS, type: 'application/json' } },
    });
    expect((await w.get(`${REPOS}?expand=projects`)).body.items[0].projects).toEqual({ totalCount: 0, items: [] });
  });

  it('associates repositories with projects (again: no change), lists them, removes one', async () => {
    const body = { mappings: [{ repositoryKey: 'billing', projectKey: 'shop' }, { repositoryKey: 'billing', projectKey: 'ops' }, { repositoryKey: 'web', projectKey: 'shop' }] };
    const res = await w.put(`${REPOS}/projects`, body);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalCount: 3, items: body.mappings });
    expect((await w.put(`${REPOS}/projects`, body)).status).toBe(200);
    const shop = (await w.s.get('/api/v2/projects/shop')).body;
    const listed = (await w.get(`${REPOS}?expand=projects`)).body.items;
    expect(listed[0].projects.items.map((p: { key: string }) => p.key)).toEqual(['ops', 'shop']);
    expect(listed[1].projects).toEqual({
      totalCount: 1,
      items: [{ _id: shop._id, key: 'shop', name: 'Shop', _links: { environments: { href: '/api/v2/projects/shop/environments', type: 'application/json' }, self: { href: '/api/v2/projects/shop', type: 'application/json' } } }],
    });
    const entries = (await w.s.get('/api/v2/auditlog?spec=code-reference-repository/billing')).body.items;
    expect(entries).toHaveLength(3);
    expect((await w.del(`${REPOS}/billing/projects/ops`)).status).toBe(204);
    expect((await w.get(`${REPOS}?expand=projects`)).body.items[0].projects.items.map((p: { key: string }) => p.key)).toEqual(['shop']);
  });

  it('a deleted repository or project takes its associations with it', async () => {
    expect((await w.s.del('/api/v2/code-refs/repositories/web')).status).toBe(204);
    expect((await w.get(REPOS)).body.totalCount).toBe(1);
    expect((await w.s.del('/api/v2/projects/shop')).status).toBe(204);
    expect((await w.get(`${REPOS}?expand=projects`)).body.items[0].projects).toEqual({ totalCount: 0, items: [] });
  });
});
