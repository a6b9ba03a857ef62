// Creating prompt snippets: 201 with the PromptSnippet (version 1, links to itself and the project's snippets, tags,
// the caller as maintainer unless a member or team is named), the text kept exactly as sent, read back the same by
// getPromptSnippet; audited in the same write. The path is a static segment beside the AI Configs' own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postPromptSnippet', () => {
  let s: TestServer;
  let owner: { _id: string; email: string; firstName: string; lastName: string; role: string };
  const snippets = '/api/v2/projects/shop/ai-configs/prompt-snippets';
  beforeAll(async () => {
    s = await startServer({ now: () => Date.UTC(2026, 2, 15) });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    owner = (await s.get('/api/v2/members/me')).body;
  });
  afterAll(() => s.close());

  it('201 with the snippet at version 1, maintained by the caller; getPromptSnippet answers the same', async () => {
    const text = 'You are Otto. Answer in the brand voice:\n- friendly\n- brief\n\n{{ldctx.name}} «ünïcødé» "quoted" \\ back\\slash';
    const res = await s.post(snippets, { key: 'brand-voice', name: 'Brand voice', description: 'How Otto speaks', text, tags: ['persona', 'support'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      key: 'brand-voice',
      _links: {
        parent: { href: snippets, type: 'application/json' },
        self: { href: `${snippets}/brand-voice`, type: 'application/json' },
      },
      _maintainer: { kind: 'member', _id: owner._id, email: owner.email, firstName: owner.firstName, lastName: owner.lastName, role: owner.role },
      name: 'Brand voice',
      description: 'How Otto speaks',
      text,
      tags: ['persona', 'support'],
      version: 1,
      createdAt: Date.UTC(2026, 2, 15),
    });
    const read = await s.get(`${snippets}/brand-voice`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(res.body);
  });

  it('description and tags are optional (tags: []); the same key in another project is another snippet', async () => {
    const res = await s.post(snippets, { key: 'safety-rules', name: 'Safety rules', text: "Don't make up prices." });
    expect(res.status).toBe(201);
    expect(res.body.description).toBeUndefined();
    expect(res.body.tags).toEqual([]);
    expect((await s.get(`${snippets}/safety-rules`)).body).toEqual(res.body);
    expect((await s.post('/api/v2/projects', { key: 'other', name: 'Other' })).status).toBe(201);
    const elsewhere = await s.post('/api/v2/projects/other/ai-configs/prompt-snippets', { key: 'safety-rules', name: 'Safety rules', text: 'Other rules.' });
    expect(elsewhere.status).toBe(201);
    expect(elsewhere.body._links.self.href).toBe('/api/v2/projects/other/ai-configs/prompt-snippets/safety-rules');
    expect((await s.get(`${snippets}/safety-rules`)).body.text).toBe("Don't make up prices.");
  });

  it('a team or member named as maintainer; an empty maintainerId leaves the snippet without one', async () => {
    expect((await s.post('/api/v2/teams', { key: 'ai-team', name: 'AI team' })).status).toBe(201);
    const team = await s.post(snippets, { key: 'by-team', name: 'By team', text: 't', maintainerTeamKey: 'ai-team' });
    expect(team.body._maintainer).toEqual({ kind: 'team', key: 'ai-team', name: 'AI team' });
    const member = await s.post(snippets, { key: 'by-member', name: 'By member', text: 't', maintainerId: owner._id });
    expect(member.body._maintainer).toMatchObject({ kind: 'member', _id: owner._id });
    const none = await s.post(snippets, { key: 'unmaintained', name: 'Unmaintained', text: 't', maintainerId: '' });
    expect(none.status).toBe(201);
    expect(none.body._maintainer).toBeUndefined();
    expect((await s.get(`${snippets}/unmaintained`)).body).toEqual(none.body);
  });

  it('audited as createPromptSnippet on proj/p:prompt-snippet/key, with the snippet as created', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:prompt-snippet/brand-voice')).body.items;
    expect(entries).toHaveLength(1);
    const entry = (await s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(entry).toMatchObject({ kind: 'prompt-snippet', name: 'Brand voice', title: expect.stringContaining('created the prompt snippet Brand voice') });
    expect(entry.currentVersion).toMatchObject({ key: 'brand-voice', version: 1, tags: ['persona', 'support'] });
  });

  it('deleting the project deletes its snippets and their versions', async () => {
    expect((await s.del('/api/v2/projects/other')).status).toBe(204);
    expect((await s.store.db.selectFrom('prompt_snippets').select('key').execute()).map((row) => row.key).sort()).toEqual(['brand-voice', 'by-member', 'by-team', 'safety-rules', 'unmaintained']);
    expect(await s.store.db.selectFrom('prompt_snippet_versions').selectAll().execute()).toHaveLength(5);
  });
});
