// Deleting a prompt snippet: 204; the snippet and every version of it are gone (its key may be used again, from
// version 1); audited with the snippet as it was. One that AI Config variations include is deleted as LaunchDarkly
// deletes it (no 400 or 409 in its spec): the variations keep their prompt text as written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deletePromptSnippet', () => {
  let s: TestServer;
  const configs = '/api/v2/projects/shop/ai-configs';
  const snippets = `${configs}/prompt-snippets`;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('204; the snippet and its versions are gone, and the key starts over at version 1', async () => {
    expect((await s.post(snippets, { key: 'tone', name: 'Tone', text: 'Be warm.' })).status).toBe(201);
    expect((await s.patch(`${snippets}/tone`, { text: 'Be warm and brief.' })).body.version).toBe(2);
    const res = await s.del(`${snippets}/tone`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(`${snippets}/tone`)).status).toBe(404);
    expect((await s.get(`${snippets}/tone/versions`)).status).toBe(404);
    expect(await s.store.db.selectFrom('prompt_snippet_versions').selectAll().execute()).toEqual([]);
    const again = await s.post(snippets, { key: 'tone', name: 'Tone', text: 'Be calm.' });
    expect(again.body.version).toBe(1);
    expect((await s.get(`${snippets}/tone/versions`)).body.totalCount).toBe(1);
  });

  it('a snippet that variations include is deleted all the same; their prompts keep the reference as written', async () => {
    expect((await s.post(snippets, { key: 'catalog', name: 'Catalog', text: 'Hats and scarves.' })).status).toBe(201);
    const content = 'You are Otto. {{snippet.catalog#1}}';
    expect((await s.post(configs, { key: 'chat', name: 'Chat', defaultVariation: { key: 'a', name: 'A', messages: [{ role: 'system', content }] } })).status).toBe(201);
    expect((await s.get(`${snippets}/catalog/references`)).body.totalCount).toBe(1);
    expect((await s.del(`${snippets}/catalog`)).status).toBe(204);
    expect((await s.get(`${snippets}/catalog/references`)).status).toBe(404);
    expect((await s.get(`${configs}/chat`)).body.variations[0].messages).toEqual([{ role: 'system', content }]);
  });

  it('audited as deletePromptSnippet with the snippet as it was', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:prompt-snippet/catalog')).body.items;
    const deleted = (await s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(deleted).toMatchObject({ kind: 'prompt-snippet', title: expect.stringContaining('deleted the prompt snippet Catalog') });
    expect(deleted.previousVersion).toMatchObject({ key: 'catalog', text: 'Hats and scarves.', version: 1 });
  });
});
