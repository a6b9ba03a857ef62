// Which AI Config variations pin an AI tool (`tools: [{key, version}]`), each as it is now and with the version it
// pins, configs oldest first; an agent graph uses a tool through its nodes' variations, which are listed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_TOOL } from '../../../test/support/aiLibrary.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('listAIToolReferences', () => {
  let s: TestServer;
  const configs = '/api/v2/projects/shop/ai-configs';
  const tools = '/api/v2/projects/shop/ai-tools';
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(tools, SEARCH_TOOL)).status).toBe(201);
    expect((await s.post(tools, { key: 'unused', schema: {} })).status).toBe(201);
    expect((await s.patch(`${tools}/search-database`, { description: 'Search customers' })).body.version).toBe(2);
    const triage = await s.post(configs, { key: 'triage', name: 'Triage agent', mode: 'agent', defaultVariation: { key: 'v1', name: 'First', instructions: 'Route the query.', tools: [{ key: 'search-database', version: 1 }] } });
    expect(triage.status, JSON.stringify(triage.body)).toBe(201);
    ids.triage = triage.body.variations[0]._id;
    const billing = await s.post(configs, { key: 'billing', name: 'Billing agent', mode: 'agent', defaultVariation: { key: 'v1', name: 'First', instructions: 'Bill.' } });
    expect(billing.status).toBe(201);
    const second = await s.post(`${configs}/billing/variations`, { key: 'v2', name: 'Second', instructions: 'Bill.', tools: [{ key: 'search-database', version: 2, customParameters: { table: 'invoices' } }] });
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    ids.billing = second.body._id;
    const graph = { key: 'support', name: 'Support', rootConfigKey: 'triage', edges: [{ key: 'to-billing', sourceConfig: 'triage', targetConfig: 'billing' }] };
    expect((await s.post('/api/v2/projects/shop/agent-graphs', graph, { headers: { 'LD-API-Version': 'beta' } })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('each variation that pins the tool, with the version it pins', async () => {
    const res = await s.get(`${tools}/search-database/references`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      _links: { self: { href: `${tools}/search-database/references?limit=20&offset=0`, type: 'application/json' } },
      resourceKey: 'search-database',
      resourceType: 'ai-tool',
      items: [
        { aiConfigKey: 'triage', aiConfigName: 'Triage agent', variationId: ids.triage, variationKey: 'v1', variationName: 'First', toolVersion: 1 },
        { aiConfigKey: 'billing', aiConfigName: 'Billing agent', variationId: ids.billing, variationKey: 'v2', variationName: 'Second', toolVersion: 2 },
      ],
      totalCount: 2,
    });
    expect((await s.get(`${tools}/unused/references`)).body).toMatchObject({ items: [], totalCount: 0, resourceKey: 'unused' });
  });

  it('a variation that no longer pins it is no longer listed; pages by limit and offset', async () => {
    const page = await s.get(`${tools}/search-database/references?limit=1`);
    expect(page.body.items.map((i: { aiConfigKey: string }) => i.aiConfigKey)).toEqual(['triage']);
    expect(page.body._links.next).toEqual({ href: `${tools}/search-database/references?limit=1&offset=1`, type: 'application/json' });
    expect((await s.patch(`${configs}/triage/variations/v1`, { tools: [] })).status).toBe(200);
    const res = await s.get(`${tools}/search-database/references`);
    expect(res.body.items.map((i: { aiConfigKey: string }) => i.aiConfigKey)).toEqual(['billing']);
  });
});
