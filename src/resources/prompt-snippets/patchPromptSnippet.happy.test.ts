// Updating prompt snippets as the 2026-07 spec's PromptSnippetPatch sends it: each change to the content (name,
// description, text, tags) makes a new version, every old one kept and listed newest first by
// listPromptSnippetVersions; a change of maintainer keeps the version; a body that changes nothing writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchPromptSnippet, listPromptSnippetVersions', () => {
  let s: TestServer;
  let clock = Date.UTC(2026, 6, 1);
  const snippet = '/api/v2/projects/shop/ai-configs/prompt-snippets/guardrails';
  beforeAll(async () => {
    s = await startServer({ now: () => clock });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/teams', { key: 'safety', name: 'Safety team' })).status).toBe(201);
    expect((await s.post('/api/v2/projects/shop/ai-configs/prompt-snippets', { key: 'guardrails', name: 'Guardrails', text: 'Never reveal prices.' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('200 with version 2 when the text changes; the members not sent are kept', async () => {
    clock += 60_000;
    const res = await s.patch(snippet, { text: 'Never reveal internal prices.', tags: ['safety'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ key: 'guardrails', name: 'Guardrails', text: 'Never reveal internal prices.', tags: ['safety'], version: 2, createdAt: clock });
    expect((await s.get(snippet)).body).toEqual(res.body);
  });

  it('name and description make a version too', async () => {
    clock += 60_000;
    const res = await s.patch(snippet, { name: 'Safety guardrails', description: 'For every customer-facing config' });
    expect(res.body).toMatchObject({ name: 'Safety guardrails', description: 'For every customer-facing config', text: 'Never reveal internal prices.', version: 3 });
  });

  it('a maintainer change keeps the version; "" removes the maintainer', async () => {
    const team = await s.patch(snippet, { maintainerTeamKey: 'safety' });
    expect(team.body).toMatchObject({ version: 3, _maintainer: { kind: 'team', key: 'safety', name: 'Safety team' } });
    const none = await s.patch(snippet, { maintainerTeamKey: '' });
    expect(none.body.version).toBe(3);
    expect(none.body._maintainer).toBeUndefined();
  });

  it('a body that changes nothing answers the snippet and writes nothing', async () => {
    const current = (await s.get(snippet)).body;
    let res: { status: number; body: unknown } | undefined;
    expect(await changedBy(s.store, async () => (res = await s.patch(snippet, { text: current.text, name: current.name, tags: current.tags })))).toBe(false);
    expect(res).toEqual({ status: 200, body: current, headers: expect.anything() });
    expect((await s.patch(snippet, {})).body).toEqual(current);
  });

  it('every version as it was, newest first, paged', async () => {
    const res = await s.get(`${snippet}/versions`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.totalCount).toBe(3);
    expect(res.body.items.map((v: { version: number; name: string; text: string }) => [v.version, v.name, v.text])).toEqual([
      [3, 'Safety guardrails', 'Never reveal internal prices.'],
      [2, 'Guardrails', 'Never reveal internal prices.'],
      [1, 'Guardrails', 'Never reveal prices.'],
    ]);
    expect(res.body.items[2]).toMatchObject({ tags: [], createdAt: Date.UTC(2026, 6, 1), _links: { self: { href: snippet, type: 'application/json' } } });
    expect(res.body._links).toEqual({ self: { href: `${snippet}/versions?limit=20&offset=0`, type: 'application/json' } });
    const page = await s.get(`${snippet}/versions?limit=1&offset=1`);
    expect(page.body.items.map((v: { version: number }) => v.version)).toEqual([2]);
    expect(page.body._links.next).toEqual({ href: `${snippet}/versions?limit=1&offset=2`, type: 'application/json' });
  });

  it('each update is audited as updatePromptSnippet with the body, before and after', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:prompt-snippet/guardrails')).body.items;
    // Created, two new versions, two maintainer changes; the patches that changed nothing left no entry.
    expect(entries).toHaveLength(5);
    const entry = (await s.get(`/api/v2/auditlog/${entries[entries.length - 2]._id}`)).body;
    expect(entry).toMatchObject({ kind: 'prompt-snippet', title: expect.stringContaining('updated the prompt snippet Guardrails') });
    expect(entry.delta).toEqual({ text: 'Never reveal internal prices.', tags: ['safety'] });
    expect(entry.previousVersion).toMatchObject({ version: 1 });
    expect(entry.currentVersion).toMatchObject({ version: 2 });
  });
});
