// Creating AI Configs as LaunchDarkly's docs and tools send them: 201 with the AIConfig representation (mode
// completion by default, version 1, the caller as maintainer), a first variation from `defaultVariation`; read back
// and listed the same; its flag made with it, hidden from the flags list and serving the disabled variation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postAIConfig, getAIConfig, getAIConfigs', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('201 with the representation; read back and listed the same', async () => {
    const me = (await s.get('/api/v2/members/me')).body;
    const res = await s.post(url, { key: 'support-bot', name: 'Support bot', description: 'Answers tickets', tags: ['support'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      _links: { parent: { href: url, type: 'application/json' }, self: { href: `${url}/support-bot`, type: 'application/json' } },
      key: 'support-bot',
      name: 'Support bot',
      description: 'Answers tickets',
      tags: ['support'],
      mode: 'completion',
      _maintainer: { kind: 'member', _id: me._id, email: me.email, role: me.role, firstName: me.firstName, lastName: me.lastName },
      version: 1,
      variations: [],
      createdAt: expect.any(Number),
      updatedAt: res.body.createdAt,
    });
    expect((await s.get(`${url}/support-bot`)).body).toEqual(res.body);
    const list = await s.get(url);
    expect(list.body).toEqual({ _links: { self: { href: `${url}?limit=20&offset=0`, type: 'application/json' } }, items: [res.body], totalCount: 1 });
  });

  it('a defaultVariation is the first variation: version 1, published, its _id the one targeting names', async () => {
    const res = await s.post(url, {
      key: 'writer',
      name: 'Writer',
      mode: 'agent',
      defaultVariation: { key: 'v1', name: 'First', instructions: 'Write about {{topic}}', model: { modelName: 'gpt-4o', parameters: { temperature: 0.2 } } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const [variation] = res.body.variations;
    expect(variation).toEqual({
      _links: { parent: { href: `${url}/writer`, type: 'application/json' } },
      key: 'v1',
      _id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'First',
      model: { modelName: 'gpt-4o', parameters: { temperature: 0.2 } },
      instructions: 'Write about {{topic}}',
      createdAt: res.body.createdAt,
      version: 1,
      state: 'published',
      _publishedAt: res.body.createdAt,
    });
    const targeting = (await s.get(`${url}/writer/targeting`)).body;
    expect(targeting.variations.map((v: { _id: string; name: string }) => [v._id, v.name])).toEqual([[expect.any(String), 'disabled'], [variation._id, 'First']]);
    expect(targeting.variations[1].value).toEqual({
      _ldMeta: { enabled: true, variationKey: 'v1', version: 1, mode: 'agent' },
      model: { name: 'gpt-4o', parameters: { temperature: 0.2 } },
      instructions: 'Write about {{topic}}',
    });
    // A new config serves its disabled variation everywhere, by default and when off; so does a new environment.
    expect(targeting.environments.production).toMatchObject({ enabled: true, fallthrough: { variation: 0 }, offVariation: 0, rules: [], targets: [] });
    expect((await s.post('/api/v2/projects/shop/environments', { key: 'qa', name: 'QA', color: '000000' })).status).toBe(201);
    expect((await s.get(`${url}/writer/targeting`)).body.environments.qa).toMatchObject({ enabled: true, fallthrough: { variation: 0 }, offVariation: 0 });
  });

  it('the flag shares the key: not in the flags list, readable by key, its key taken', async () => {
    expect((await s.get('/api/v2/flags/shop')).body.items.map((f: { key: string }) => f.key)).toEqual([]);
    const flag = await s.get('/api/v2/flags/shop/support-bot');
    expect(flag.status).toBe(200);
    expect(flag.body._purpose).toBe('aiConfig');
    const taken = await s.post('/api/v2/flags/shop', { key: 'support-bot', name: 'Clash' });
    expect(taken.status).toBe(409);
  });

  it('viewKeys (2026-07): created into views, its flag linked to each (once), as linkResource links a flag; audited on each view', async () => {
    const BETA = { headers: { 'LD-API-Version': 'beta' } };
    for (const key of ['support', 'sales']) expect((await s.post('/api/v2/projects/shop/views', { key, name: key.toUpperCase() }, BETA)).status).toBe(200);
    const res = await s.post(url, { key: 'into-views', name: 'Into views', viewKeys: ['support', 'sales', 'support'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    for (const view of ['support', 'sales']) {
      // Linked as its flag, listed as the AI Config (type aiConfigs), not among the view's flags (as the flags list).
      const linked = await s.get(`/api/v2/projects/shop/views/${view}/linked/aiConfigs`, BETA);
      expect(linked.status, JSON.stringify(linked.body)).toBe(200);
      expect(linked.body.items.map((item: { resourceKey: string; resourceType: string; linkedAt: number }) => [item.resourceKey, item.resourceType, item.linkedAt])).toEqual([['into-views', 'aiConfig', res.body.createdAt]]);
      expect((await s.get(`/api/v2/projects/shop/views/${view}/linked/flags`, BETA)).body.totalCount).toBe(0);
      const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent(`proj/shop:view/${view}`)}`)).body.items[0];
      expect(entry).toMatchObject({ kind: 'view', title: expect.stringContaining(`linked the AI Config Into views to the view ${view.toUpperCase()}`) });
    }
    const views = (await s.get('/api/v2/projects/shop/view-associations/flags/into-views', BETA)).body;
    expect(views.items.map((v: { key: string }) => v.key).sort()).toEqual(['sales', 'support']);
    // A key naming no view: 400 naming it, and nothing made.
    const refused = await s.post(url, { key: 'nowhere', name: 'Nowhere', viewKeys: ['support', 'missing'] });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid_request', message: 'viewKeys[1]: there is no view "missing" in this project' });
    expect((await s.get(`${url}/nowhere`)).status).toBe(404);
    expect((await s.get('/api/v2/projects/shop/views/support/linked/aiConfigs', BETA)).body.totalCount).toBe(1);
    const byConfig = (await s.get('/api/v2/projects/shop/view-associations/aiConfigs/into-views', BETA)).body;
    expect(byConfig.items.map((v: { key: string }) => v.key).sort()).toEqual(['sales', 'support']);
  });
});
