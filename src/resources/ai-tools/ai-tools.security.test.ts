// Who may manage AI tools: every token must be valid; readers read; writers and admins create, update and delete.
// Custom roles read with the project (viewProject) and change with LaunchDarkly's AI tool actions on
// `proj/p:ai-tool/key` (createAITool, updateAITool, deleteAITool); reads include the versions and references. A tool
// is found only under its own project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefused } from '../../../test/support/digest.js';
import { projectRoleToken } from '../../../test/support/roleTokens.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('AI tools: security', () => {
  let s: TestServer;
  const tools = (project = 'shop') => `/api/v2/projects/${project}/ai-tools`;
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'hidden']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
    expect((await s.post(tools(), { key: 'lookup', schema: {} })).status).toBe(201);
    expect((await s.post(tools('hidden'), { key: 'secret-tool', schema: { type: 'object' } })).status).toBe(201);
  });
  afterAll(() => s.close());

  const refused = (send: () => Promise<Response>, status: number) => expectRefused(s.store, send, status);

  it('401 without a valid token; readers read but may not write; writers write', async () => {
    const writes = (token: string | null, key: string) => [
      () => s.post(tools(), { key, schema: {} }, { token }),
      () => s.patch(`${tools()}/${key}`, { description: 'changed' }, { token }),
      () => s.del(`${tools()}/${key}`, { token }),
    ];
    const reads = (token: string | null) => [
      () => s.get(tools(), { token }),
      () => s.get(`${tools()}/lookup`, { token }),
      () => s.get(`${tools()}/lookup/versions`, { token }),
      () => s.get(`${tools()}/lookup/references`, { token }),
    ];
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [...reads(token), ...writes(token, 'lookup')]) await refused(send, 401);
    }
    for (const send of reads(s.tokens.reader)) expect((await send()).status).toBe(200);
    for (const send of writes(s.tokens.reader, 'lookup')) await refused(send, 403);
    const statuses = [];
    for (const send of writes(s.tokens.writer, 'written')) statuses.push((await send()).status);
    expect(statuses).toEqual([201, 200, 204]);
  });

  it('custom roles: viewProject to read; each AI tool action, on the tools it names', async () => {
    const role = (actions: string[], resource = 'proj/shop:ai-tool/*') => projectRoleToken(s, 'shop', resource, actions);
    const viewer = await role([]);
    expect((await s.get(tools(), { token: viewer })).body.totalCount).toBe(1);
    expect((await s.get(`${tools()}/lookup/versions`, { token: viewer })).status).toBe(200);
    expect((await s.get(`${tools()}/lookup/references`, { token: viewer })).status).toBe(200);
    await refused(() => s.get(`${tools('hidden')}/secret-tool/references`, { token: viewer }), 403);
    await refused(() => s.get(tools('hidden'), { token: viewer }), 403);
    await refused(() => s.get(`${tools('hidden')}/secret-tool`, { token: viewer }), 403);
    await refused(() => s.post(tools(), { key: 'made', schema: {} }, { token: viewer }), 403);

    const creator = await role(['createAITool'], 'proj/shop:ai-tool/made-*');
    await refused(() => s.post(tools(), { key: 'other', schema: {} }, { token: creator }), 403);
    expect((await s.post(tools(), { key: 'made-1', schema: {} }, { token: creator })).status).toBe(201);
    await refused(() => s.patch(`${tools()}/made-1`, { description: 'd' }, { token: creator }), 403);

    const updater = await role(['updateAITool'], 'proj/shop:ai-tool/made-1');
    expect((await s.patch(`${tools()}/made-1`, { description: 'd' }, { token: updater })).body.version).toBe(2);
    await refused(() => s.patch(`${tools()}/lookup`, { description: 'd' }, { token: updater }), 403);
    await refused(() => s.del(`${tools()}/made-1`, { token: updater }), 403);

    const deleter = await role(['deleteAITool']);
    await refused(() => s.del(`${tools('hidden')}/secret-tool`, { token: deleter }), 403);
    expect((await s.del(`${tools()}/made-1`, { token: deleter })).status).toBe(204);
  });

  it("another project's tool is not found through this project", async () => {
    await refused(() => s.get(`${tools()}/secret-tool`), 404);
    await refused(() => s.get(`${tools()}/secret-tool/references`), 404);
    await refused(() => s.patch(`${tools()}/secret-tool`, { description: 'x' }), 404);
    await refused(() => s.del(`${tools()}/secret-tool`), 404);
    expect((await s.get(tools())).body.items.map((t: { key: string }) => t.key)).not.toContain('secret-tool');
  });
});
