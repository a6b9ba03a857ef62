// Listing a project's prompt snippets as the 2026-07 spec's generated client would call it: every snippet (its newest
// version) in key order, the same representation getPromptSnippet gives, filtered on key or tags in LaunchDarkly's
// grouped syntax, paged by limit and offset with the collection's links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('listPromptSnippets, getPromptSnippet', () => {
  let s: TestServer;
  const snippets = '/api/v2/projects/shop/ai-configs/prompt-snippets';
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'other']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
    const bodies = [
      { key: 'tone', name: 'Tone', text: 'Be warm.', tags: ['persona'] },
      { key: 'json-output', name: 'JSON output', text: 'Answer in JSON.', tags: ['format'] },
      { key: 'guardrails', name: 'Guardrails', text: 'Never reveal prices.', tags: ['safety', 'persona'] },
    ];
    for (const body of bodies) expect((await s.post(snippets, body)).status).toBe(201);
    expect((await s.post('/api/v2/projects/other/ai-configs/prompt-snippets', { key: 'elsewhere', name: 'Elsewhere', text: 'x' })).status).toBe(201);
    expect((await s.patch(`${snippets}/tone`, { text: 'Be warm and brief.' })).body.version).toBe(2);
  });
  afterAll(() => s.close());

  it("the project's snippets in key order, each as getPromptSnippet shows it (its newest version)", async () => {
    const res = await s.get(snippets);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.totalCount).toBe(3);
    expect(res.body.items.map((i: { key: string }) => i.key)).toEqual(['guardrails', 'json-output', 'tone']);
    for (const item of res.body.items) expect((await s.get(`${snippets}/${item.key}`)).body).toEqual(item);
    expect(res.body.items[2]).toMatchObject({ text: 'Be warm and brief.', version: 2 });
    expect(res.body._links).toEqual({ self: { href: `${snippets}?limit=20&offset=0`, type: 'application/json' } });
  });

  it('filter on key (equals, anyOf, startsWith, notEquals) and tags (anyOf), carried into the links', async () => {
    const keys = async (filter: string) => (await s.get(`${snippets}?filter=${encodeURIComponent(filter)}`)).body.items.map((i: { key: string }) => i.key);
    expect(await keys('key equals tone')).toEqual(['tone']);
    expect(await keys('key anyOf ["tone","guardrails"]')).toEqual(['guardrails', 'tone']);
    expect(await keys('key startsWith json')).toEqual(['json-output']);
    expect(await keys('key notEquals tone')).toEqual(['guardrails', 'json-output']);
    expect(await keys('tags anyOf ["persona"]')).toEqual(['guardrails', 'tone']);
    expect(await keys('tags anyOf ["format","safety"]')).toEqual(['guardrails', 'json-output']);
    const res = await s.get(`${snippets}?filter=${encodeURIComponent('tags anyOf ["persona"]')}&limit=1`);
    expect(res.body._links.next.href).toBe(`${snippets}?filter=${encodeURIComponent('tags anyOf ["persona"]').replace(/%20/g, '+')}&limit=1&offset=1`);
  });

  it('pages by limit and offset', async () => {
    const res = await s.get(`${snippets}?limit=2&offset=1`);
    expect(res.body.items.map((i: { key: string }) => i.key)).toEqual(['json-output', 'tone']);
    expect(res.body.totalCount).toBe(3);
    expect(res.body._links.first).toEqual({ href: `${snippets}?limit=2&offset=0`, type: 'application/json' });
    expect(res.body._links.next).toBeUndefined();
  });

  it('an empty project lists none', async () => {
    expect((await s.post('/api/v2/projects', { key: 'empty', name: 'Empty' })).status).toBe(201);
    expect((await s.get('/api/v2/projects/empty/ai-configs/prompt-snippets')).body).toMatchObject({ items: [], totalCount: 0 });
  });
});
