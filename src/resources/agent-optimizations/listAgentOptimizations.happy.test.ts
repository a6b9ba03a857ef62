// Listing agent optimizations: key order, each as its current version defines it, in pages of 20 by default with
// LaunchDarkly's paging `_links`; `filter` on key or aiConfigKey carried into the links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOptimizationTargets } from '../../../test/support/agentOptimizations.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('listAgentOptimizations', () => {
  let s: TestServer;
  const optimizations = '/api/v2/projects/shop/agent-optimizations';
  const body = (key: string, aiConfigKey = 'support-agent') => ({ key, aiConfigKey, maxAttempts: 3, judgeModel: 'gpt-4o-mini' });
  beforeAll(async () => {
    s = await startServer();
    await postOptimizationTargets(s.post, 'shop');
    expect((await s.post('/api/v2/projects/shop/ai-configs', { key: 'billing-agent', name: 'Billing agent', mode: 'agent' })).status).toBe(201);
    for (let i = 24; i >= 0; i--) expect((await s.post(optimizations, body(`opt-${String(i).padStart(2, '0')}`))).status).toBe(201);
    expect((await s.post(optimizations, body('billing', 'billing-agent'))).status).toBe(201);
  });
  afterAll(() => s.close());

  it('key order, 20 to a page, with first/next/last links', async () => {
    const res = await s.get(optimizations);
    expect(res.status).toBe(200);
    expect(res.body.totalCount).toBe(26);
    expect(res.body.items).toHaveLength(20);
    expect(res.body.items.slice(0, 2).map((item: { key: string }) => item.key)).toEqual(['billing', 'opt-00']);
    expect(res.body._links.self.href).toBe(`${optimizations}?limit=20&offset=0`);
    expect(res.body._links.next.href).toBe(`${optimizations}?limit=20&offset=20`);
    expect(res.body._links.last.href).toBe(`${optimizations}?limit=20&offset=20`);
    const second = await s.get(`${optimizations}?limit=20&offset=20`);
    expect(second.body.items.map((item: { key: string }) => item.key)).toEqual(['opt-19', 'opt-20', 'opt-21', 'opt-22', 'opt-23', 'opt-24']);
    expect(second.body._links.prev.href).toBe(`${optimizations}?limit=20&offset=0`);
  });

  it('filter on key or aiConfigKey, carried into the links', async () => {
    const byConfig = await s.get(`${optimizations}?filter=${encodeURIComponent('aiConfigKey equals billing-agent')}`);
    expect(byConfig.body.items.map((item: { key: string }) => item.key)).toEqual(['billing']);
    expect(byConfig.body._links.self.href).toBe(`${optimizations}?filter=aiConfigKey+equals+billing-agent&limit=20&offset=0`);
    const byKey = await s.get(`${optimizations}?filter=${encodeURIComponent('key anyOf ["opt-01","opt-02"]')}`);
    expect(byKey.body).toMatchObject({ totalCount: 2, items: [{ key: 'opt-01' }, { key: 'opt-02' }] });
    expect((await s.get(`${optimizations}?filter=${encodeURIComponent('key startsWith opt-1')}`)).body.totalCount).toBe(10);
  });

  it('an optimization shows its current version', async () => {
    expect((await s.patch(`${optimizations}/billing`, { maxAttempts: 9 })).status).toBe(200);
    const listed = (await s.get(`${optimizations}?filter=${encodeURIComponent('key equals billing')}`)).body.items[0];
    expect(listed).toMatchObject({ key: 'billing', maxAttempts: 9, version: 2 });
    expect(listed).toEqual((await s.get(`${optimizations}/billing`)).body);
  });

  it('a project without optimizations lists none', async () => {
    expect((await s.post('/api/v2/projects', { key: 'empty', name: 'Empty' })).status).toBe(201);
    expect((await s.get('/api/v2/projects/empty/agent-optimizations')).body).toMatchObject({ items: [], totalCount: 0 });
  });
});
