// Who may manage agent graphs (beta): every token must be valid; readers read; writers and admins create, update and
// delete. Custom roles read with the project (viewProject) and change with LaunchDarkly's agent graph actions on
// `proj/p:agent-graph/key` (createAgentGraph, updateAgentGraph, deleteAgentGraph). A graph is found only under its
// own project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postAIConfigs } from '../../../test/support/aiLibrary.js';
import { expectRefused } from '../../../test/support/digest.js';
import { projectRoleToken } from '../../../test/support/roleTokens.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('agent graphs: security', () => {
  let s: TestServer;
  const graphs = (project = 'shop') => `/api/v2/projects/${project}/agent-graphs`;
  const as = (token: string | null) => ({ token, headers: { 'LD-API-Version': 'beta' } });
  beforeAll(async () => {
    s = await startServer();
    for (const key of ['shop', 'hidden']) expect((await s.post('/api/v2/projects', { key, name: key })).status).toBe(201);
    await postAIConfigs(s.post, 'shop', ['a']);
    expect((await s.post(graphs(), { key: 'flow', name: 'Flow' }, as(s.tokens.admin))).status).toBe(201);
    expect((await s.post(graphs('hidden'), { key: 'secret-flow', name: 'Secret' }, as(s.tokens.admin))).status).toBe(201);
  });
  afterAll(() => s.close());

  const refused = (send: () => Promise<Response>, status: number) => expectRefused(s.store, send, status);

  it('401 without a valid token; readers read but may not write; writers write', async () => {
    const writes = (token: string | null, key: string) => [
      () => s.post(graphs(), { key, name: key }, as(token)),
      () => s.patch(`${graphs()}/${key}`, { name: 'renamed' }, as(token)),
      () => s.del(`${graphs()}/${key}`, as(token)),
    ];
    const reads = (token: string | null) => [() => s.get(graphs(), as(token)), () => s.get(`${graphs()}/flow`, as(token))];
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [...reads(token), ...writes(token, 'flow')]) await refused(send, 401);
    }
    for (const send of reads(s.tokens.reader)) expect((await send()).status).toBe(200);
    for (const send of writes(s.tokens.reader, 'flow')) await refused(send, 403);
    const statuses = [];
    for (const send of writes(s.tokens.writer, 'written')) statuses.push((await send()).status);
    expect(statuses).toEqual([201, 200, 204]);
  });

  it('custom roles: viewProject to read; each agent graph action, on the graphs it names', async () => {
    const role = (actions: string[], resource = 'proj/shop:agent-graph/*') => projectRoleToken(s, 'shop', resource, actions);
    const viewer = await role([]);
    expect((await s.get(graphs(), as(viewer))).body.totalCount).toBe(1);
    expect((await s.get(`${graphs()}/flow`, as(viewer))).status).toBe(200);
    await refused(() => s.get(graphs('hidden'), as(viewer)), 403);
    await refused(() => s.post(graphs(), { key: 'made', name: 'Made' }, as(viewer)), 403);

    const creator = await role(['createAgentGraph'], 'proj/shop:agent-graph/made-*');
    await refused(() => s.post(graphs(), { key: 'other', name: 'Other' }, as(creator)), 403);
    expect((await s.post(graphs(), { key: 'made-1', name: 'Made' }, as(creator))).status).toBe(201);
    await refused(() => s.patch(`${graphs()}/made-1`, { name: 'Renamed' }, as(creator)), 403);

    const updater = await role(['updateAgentGraph'], 'proj/shop:agent-graph/made-1');
    expect((await s.patch(`${graphs()}/made-1`, { name: 'Renamed', rootConfigKey: 'a', edges: [] }, as(updater))).status).toBe(200);
    await refused(() => s.patch(`${graphs()}/flow`, { name: 'Renamed' }, as(updater)), 403);
    await refused(() => s.del(`${graphs()}/made-1`, as(updater)), 403);

    const deleter = await role(['deleteAgentGraph']);
    await refused(() => s.del(`${graphs('hidden')}/secret-flow`, as(deleter)), 403);
    expect((await s.del(`${graphs()}/made-1`, as(deleter))).status).toBe(204);
  });

  it("another project's graph is not found through this project", async () => {
    await refused(() => s.get(`${graphs()}/secret-flow`, as(s.tokens.admin)), 404);
    await refused(() => s.patch(`${graphs()}/secret-flow`, { name: 'x' }, as(s.tokens.admin)), 404);
    await refused(() => s.del(`${graphs()}/secret-flow`, as(s.tokens.admin)), 404);
  });
});
