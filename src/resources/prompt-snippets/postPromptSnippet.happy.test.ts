// Creating prompt snippets: 201 with the PromptSnippet (version 1, links to itself and the project's snippets), the
// text kept exactly as sent; audited in the same write. The path is a static segment beside the AI Configs' own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postPromptSnippet', () => {
  let s: TestServer;
  const snippets = '/api/v2/projects/shop/ai-configs/prompt-snippets';
  beforeAll(async () => {
    s = await startServer({ now: () => Date.UTC(2026, 2, 15) });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('201 with the snippet at version 1', async () => {
    const text = 'You are Otto. Answer in the brand voice:\n- friendly\n- brief\n\n{{ldctx.name}} «ünïcødé» "quoted" \\ back\\slash';
    const res = await s.post(snippets, { key: 'brand-voice', name: 'Brand voice', description: 'How Otto speaks', text });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      key: 'brand-voice',
      _links: {
        parent: { href: snippets, type: 'application/json' },
        self: { href: `${snippets}/brand-voice`, type: 'application/json' },
      },
      name: 'Brand voice',
      description: 'How Otto speaks',
      text,
      version: 1,
      createdAt: Date.UTC(2026, 2, 15),
    });
  });

  it('description is optional; the same key in another project is another snippet', async () => {
    const res = await s.post(snippets, { key: 'safety-rules', name: 'Safety rules', text: "Don't make up prices." });
    expect(res.status).toBe(201);
    expect(res.body.description).toBeUndefined();
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    const elsewhere = await s.post('/api/v2/projects/other/ai-configs/prompt-snippets', { key: 'safety-rules', name: 'Safety rules', text: 'Other rules.' });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body._links.self.href).toBe('/api/v2/projects/other/ai-configs/prompt-snippets/safety-rules');
  });

  it('audited as createPromptSnippet on proj/p:prompt-snippet/key, with the snippet as created', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:prompt-snippet/brand-voice')).body.items;
    expect(entries).toHaveLength(1);
    const entry = (await s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(entry).toMatchObject({ kind: 'prompt-snippet', name: 'Brand voice', title: expect.stringContaining('created the prompt snippet Brand voice') });
    expect(entry.currentVersion).toMatchObject({ key: 'brand-voice', version: 1 });
  });

  it("deleting the project deletes its snippets", async () => {
    expect((await s.del('/api/v2/projects/other')).status).toBe(204);
    expect((await s.store.db.selectFrom('prompt_snippets').select('key').execute()).map((row) => row.key).sort()).toEqual(['brand-voice', 'safety-rules']);
  });
});
