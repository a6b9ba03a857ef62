// Which AI Config variations include a prompt snippet: `{{snippet.key#version}}` in a completion config's message or
// an agent's instructions, each variation as it is now, one item per variation and version it pins, configs oldest
// first; other snippets' references, unversioned mentions and older versions of a variation do not count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('listPromptSnippetReferences', () => {
  let s: TestServer;
  const configs = '/api/v2/projects/shop/ai-configs';
  const snippets = `${configs}/prompt-snippets`;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    for (const key of ['catalog', 'tone', 'unused']) expect((await s.post(snippets, { key, name: key, text: `The ${key}.` })).status).toBe(201);
    expect((await s.patch(`${snippets}/catalog`, { text: 'The catalog, v2.' })).body.version).toBe(2);
    const chat = await s.post(configs, {
      key: 'chat',
      name: 'Support chat',
      defaultVariation: { key: 'friendly', name: 'Friendly', messages: [{ role: 'system', content: 'You are Otto.\n{{snippet.catalog#1}}\n{{ snippet.tone#1 }}' }, { role: 'user', content: '{{snippet.catalog#2}} {{snippet.catalog#1}}' }] },
    });
    expect(chat.status, JSON.stringify(chat.body)).toBe(201);
    ids.friendly = chat.body.variations[0]._id;
    const terse = await s.post(`${configs}/chat/variations`, { key: 'terse', name: 'Terse', messages: [{ role: 'system', content: 'Be terse. {{snippet.tone}} {{snippet.catalogue#1}}' }] });
    expect(terse.status).toBe(201);
    const agent = await s.post(configs, { key: 'concierge', name: 'Concierge', mode: 'agent', defaultVariation: { key: 'v1', name: 'V1', instructions: 'Help the shopper. {{snippet.catalog#2}}' } });
    expect(agent.status, JSON.stringify(agent.body)).toBe(201);
    ids.v1 = agent.body.variations[0]._id;
  });
  afterAll(() => s.close());

  it('each variation that includes the snippet, with the version it pins', async () => {
    const res = await s.get(`${snippets}/catalog/references`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      _links: { self: { href: `${snippets}/catalog/references?limit=20&offset=0`, type: 'application/json' } },
      resourceKey: 'catalog',
      resourceType: 'prompt-snippet',
      items: [
        { aiConfigKey: 'chat', aiConfigName: 'Support chat', variationId: ids.friendly, variationKey: 'friendly', variationName: 'Friendly', resourceVersion: 1 },
        { aiConfigKey: 'chat', aiConfigName: 'Support chat', variationId: ids.friendly, variationKey: 'friendly', variationName: 'Friendly', resourceVersion: 2 },
        { aiConfigKey: 'concierge', aiConfigName: 'Concierge', variationId: ids.v1, variationKey: 'v1', variationName: 'V1', resourceVersion: 2 },
      ],
      totalCount: 3,
    });
  });

  it('spaces inside the braces are taken; a mention without a version is not a reference', async () => {
    const res = await s.get(`${snippets}/tone/references`);
    expect(res.body.items.map((i: { variationKey: string; resourceVersion: number }) => [i.variationKey, i.resourceVersion])).toEqual([['friendly', 1]]);
    expect((await s.get(`${snippets}/unused/references`)).body).toMatchObject({ items: [], totalCount: 0, resourceKey: 'unused' });
  });

  it("a variation's update counts as it is now: an old version's reference is gone", async () => {
    expect((await s.patch(`${configs}/concierge/variations/v1`, { instructions: 'Help the shopper.' })).status).toBe(200);
    const res = await s.get(`${snippets}/catalog/references`);
    expect(res.body.items.map((i: { aiConfigKey: string }) => i.aiConfigKey)).toEqual(['chat', 'chat']);
    expect(res.body.totalCount).toBe(2);
  });

  it('paged by limit and offset', async () => {
    const res = await s.get(`${snippets}/catalog/references?limit=1&offset=1`);
    expect(res.body.items.map((i: { resourceVersion: number }) => i.resourceVersion)).toEqual([2]);
    expect(res.body.totalCount).toBe(2);
    expect(res.body._links.prev).toEqual({ href: `${snippets}/catalog/references?limit=1&offset=0`, type: 'application/json' });
  });
});
