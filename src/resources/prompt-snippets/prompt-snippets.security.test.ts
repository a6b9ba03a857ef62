// Who may manage prompt snippets: every token must be valid; readers read (list, get, versions, references); writers
// and admins create, update and delete. Custom roles read with the project (viewProject) and change with
// LaunchDarkly's prompt snippet actions on `proj/p:prompt-snippet/key` (createPromptSnippet, updatePromptSnippet,
// deletePromptSnippet). A snippet is found only under its own project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { projectRoleToken } from '../../../test/support/roleTokens.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('prompt snippets: security', () => {
  let s: TestServer;
  const snippets = (project = 'shop') => `/api/v2/projects/${project}/ai-configs/prompt-snippets`;
  const body = (key: string, tags?: string[]) => ({ key, name: key, text: 'text', ...(tags ? { tags } : {}) });
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'hidden']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
    expect((await s.post(snippets(), body('tone'))).status).toBe(201);
    expect((await s.post(snippets('hidden'), body('secret'))).status).toBe(201);
  });
  afterAll(() => s.close());

  const refused = (send: () => Promise<Response>, status: number) => expectRefused(s.store, send, status);

  it('401 without a valid token; readers read but may not write; writers and admins write', async () => {
    const reads = (token: string | null) => [
      () => s.get(snippets(), { token }),
      () => s.get(`${snippets()}/tone`, { token }),
      () => s.get(`${snippets()}/tone/versions`, { token }),
      () => s.get(`${snippets()}/tone/references`, { token }),
    ];
    const writes = (token: string | null, key: string) => [
      () => s.post(snippets(), body(key), { token }),
      () => s.patch(`${snippets()}/${key}`, { text: 'changed' }, { token }),
      () => s.del(`${snippets()}/${key}`, { token }),
    ];
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [...reads(token), ...writes(token, 'tone')]) await refused(send, 401);
    }
    for (const send of reads(s.tokens.reader)) expect((await send()).status).toBe(200);
    for (const send of writes(s.tokens.reader, 'tone')) await refused(send, 403);
    for (const token of [s.tokens.writer, s.tokens.admin]) {
      const statuses = [];
      for (const send of writes(token, 'written')) statuses.push((await send()).status);
      expect(statuses).toEqual([201, 200, 204]);
    }
  });

  it('custom roles: viewProject to read; each prompt snippet action, on the snippets it names', async () => {
    const role = (actions: string[], resource = 'proj/shop:prompt-snippet/*') => projectRoleToken(s, 'shop', resource, actions);
    const viewer = await role([]);
    expect((await s.get(snippets(), { token: viewer })).body.totalCount).toBe(1);
    expect((await s.get(`${snippets()}/tone/references`, { token: viewer })).status).toBe(200);
    await refused(() => s.get(snippets('hidden'), { token: viewer }), 403);
    await refused(() => s.get(`${snippets('hidden')}/secret`, { token: viewer }), 403);
    await refused(() => s.post(snippets(), body('made'), { token: viewer }), 403);

    const creator = await role(['createPromptSnippet'], 'proj/shop:prompt-snippet/voice-*');
    expect((await s.post(snippets(), body('voice-otto'), { token: creator })).status).toBe(201);
    await refused(() => s.post(snippets(), body('rules'), { token: creator }), 403);
    await refused(() => s.patch(`${snippets()}/voice-otto`, { text: 'x' }, { token: creator }), 403);
    // A snippet's tags in a create name it to roles, as LaunchDarkly's `;tag` specifiers do.
    const tagged = await role(['createPromptSnippet'], 'proj/shop:prompt-snippet/*;safety');
    expect((await s.post(snippets(), body('rules', ['safety']), { token: tagged })).status).toBe(201);
    await refused(() => s.post(snippets(), body('other-rules'), { token: tagged }), 403);

    const updater = await role(['updatePromptSnippet'], 'proj/shop:prompt-snippet/voice-otto');
    expect((await s.patch(`${snippets()}/voice-otto`, { text: 'x' }, { token: updater })).body.version).toBe(2);
    await refused(() => s.patch(`${snippets()}/tone`, { text: 'x' }, { token: updater }), 403);
    await refused(() => s.del(`${snippets()}/voice-otto`, { token: updater }), 403);

    const deleter = await role(['deletePromptSnippet']);
    await refused(() => s.del(`${snippets('hidden')}/secret`, { token: deleter }), 403);
    expect((await s.del(`${snippets()}/voice-otto`, { token: deleter })).status).toBe(204);
  });

  it("another project's snippet is not found through this project", async () => {
    await refused(() => s.get(`${snippets()}/secret`), 404);
    await refused(() => s.get(`${snippets()}/secret/versions`), 404);
    await refused(() => s.patch(`${snippets()}/secret`, { text: 'x' }), 404);
    await refused(() => s.del(`${snippets()}/secret`), 404);
    expect((await s.get(snippets())).body.items.map((i: { key: string }) => i.key)).not.toContain('secret');
  });
});
