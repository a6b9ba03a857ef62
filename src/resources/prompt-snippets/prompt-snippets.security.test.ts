// Who may create prompt snippets: a valid token of a writer or admin (readers get 403), or a custom role allowing
// LaunchDarkly's createPromptSnippet on `proj/p:prompt-snippet/key` in a project it may view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { projectRoleToken } from '../../../test/support/roleTokens.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('prompt snippets: security', () => {
  let s: TestServer;
  const snippets = (project = 'shop') => `/api/v2/projects/${project}/ai-configs/prompt-snippets`;
  const body = (key: string) => ({ key, name: key, text: 'text' });
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'hidden']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
  });
  afterAll(() => s.close());

  const refused = (send: () => Promise<Response>, status: number) => expectRefused(s.store, send, status);

  it('401 without a valid token; 403 for readers; writers and admins create', async () => {
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) await refused(() => s.post(snippets(), body('k'), { token }), 401);
    await refused(() => s.post(snippets(), body('k'), { token: s.tokens.reader }), 403);
    expect((await s.post(snippets(), body('by-writer'), { token: s.tokens.writer })).status).toBe(201);
    expect((await s.post(snippets(), body('by-admin'), { token: s.tokens.admin })).status).toBe(201);
  });

  it('custom roles: createPromptSnippet on the snippet, in a project the token may view', async () => {
    const token = (resource: string) => projectRoleToken(s, 'shop', resource, ['createPromptSnippet']);
    const voices = await token('proj/shop:prompt-snippet/voice-*');
    expect((await s.post(snippets(), body('voice-otto'), { token: voices })).status).toBe(201);
    await refused(() => s.post(snippets(), body('rules'), { token: voices }), 403);
    // Allowed the action everywhere, but not to view the other project.
    const everywhere = await token('proj/*:prompt-snippet/*');
    await refused(() => s.post(snippets('hidden'), body('voice-x'), { token: everywhere }), 403);
    const viewOnly = await projectRoleToken(s, 'shop', 'proj/shop', []);
    await refused(() => s.post(snippets(), body('voice-y'), { token: viewOnly }), 403);
  });
});
