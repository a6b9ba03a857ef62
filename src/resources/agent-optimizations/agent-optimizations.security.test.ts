// Who may manage agent optimizations and their runs: every token must be valid; readers read; writers and admins
// create, update and delete optimizations, and record, update and delete runs. Custom roles read with the project
// (viewProject) and change with iterlab's actions on `proj/p:agent-optimization/key` (LaunchDarkly documents none):
// createAgentOptimization, updateAgentOptimization, deleteAgentOptimization for the optimization;
// createAgentOptimizationResult, updateAgentOptimizationResult, deleteAgentOptimizationRun for its runs, so that an
// optimizer's token may record runs without changing what is optimized. Everything is found only under its project.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOptimizationTargets, SUPPORT_OPTIMIZATION } from '../../../test/support/agentOptimizations.js';
import { expectRefused } from '../../../test/support/digest.js';
import { projectRoleToken } from '../../../test/support/roleTokens.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('agent optimizations: security', () => {
  let s: TestServer;
  const optimizations = (project = 'shop') => `/api/v2/projects/${project}/agent-optimizations`;
  const runId = 'd9428888-122b-41e2-9c3a-2f1d3c4b5a69';
  let resultId = '';
  const as = (token: string | null) => ({ token, headers: { 'LD-API-Version': 'beta' } });
  const result = (iteration: number) => ({ runId, agentOptimizationVersion: 1, iteration, instructions: 'i', userInput: 'u' });
  beforeAll(async () => {
    s = await startServer();
    await postOptimizationTargets(s.post, 'shop');
    await postOptimizationTargets(s.post, 'hidden');
    expect((await s.post(optimizations(), SUPPORT_OPTIMIZATION)).status).toBe(201);
    expect((await s.post(optimizations('hidden'), { ...SUPPORT_OPTIMIZATION, key: 'secret' })).status).toBe(201);
    resultId = (await s.post(`${optimizations()}/support-agent-tuning/results`, result(0))).body.id;
  });
  afterAll(() => s.close());

  const refused = (send: () => Promise<Response>, status: number) => expectRefused(s.store, send, status);
  const optimization = `/api/v2/projects/shop/agent-optimizations/support-agent-tuning`;
  const reads = (token: string | null) => [
    () => s.get(optimizations(), as(token)),
    () => s.get(optimization, as(token)),
    () => s.get(`${optimization}/results`, as(token)),
    () => s.get(`${optimization}/all-results`, as(token)),
    () => s.get(`${optimization}/runs`, as(token)),
    () => s.get(`${optimization}/runs/${runId}/results`, as(token)),
  ];

  it('401 without a valid token; readers read but may not write; writers write', async () => {
    const writes = (token: string | null, key: string, iteration: number) => [
      () => s.post(optimizations(), { ...SUPPORT_OPTIMIZATION, key }, as(token)),
      () => s.patch(`${optimizations()}/${key}`, { maxAttempts: 2 }, as(token)),
      () => s.post(`${optimization}/results`, result(iteration), as(token)),
      () => s.patch(`${optimization}/results/${resultId}`, { status: 'PASSED' }, as(token)),
      () => s.del(`${optimization}/runs/${runId}`, as(token)),
      () => s.del(`${optimizations()}/${key}`, as(token)),
    ];
    for (const token of [null, 'api-00000000-0000-4000-8000-000000000000']) {
      for (const send of [...reads(token), ...writes(token, 'support-agent-tuning', 1)]) await refused(send, 401);
    }
    for (const send of reads(s.tokens.reader)) expect((await send()).status).toBe(200);
    for (const send of writes(s.tokens.reader, 'support-agent-tuning', 1)) await refused(send, 403);
    const statuses = [];
    for (const send of writes(s.tokens.writer, 'written', 1)) statuses.push((await send()).status);
    expect(statuses).toEqual([201, 200, 201, 200, 204, 204]);
  });

  it('custom roles: viewProject to read; each action, on the optimizations it names', async () => {
    const role = (actions: string[], resource = 'proj/shop:agent-optimization/*') => projectRoleToken(s, 'shop', resource, actions);
    const viewer = await role([]);
    for (const send of reads(viewer)) expect((await send()).status).toBe(200);
    await refused(() => s.get(optimizations('hidden'), as(viewer)), 403);
    await refused(() => s.post(optimizations(), { ...SUPPORT_OPTIMIZATION, key: 'made' }, as(viewer)), 403);

    const creator = await role(['createAgentOptimization'], 'proj/shop:agent-optimization/made-*');
    await refused(() => s.post(optimizations(), { ...SUPPORT_OPTIMIZATION, key: 'other' }, as(creator)), 403);
    expect((await s.post(optimizations(), { ...SUPPORT_OPTIMIZATION, key: 'made-1' }, as(creator))).status).toBe(201);
    await refused(() => s.patch(`${optimizations()}/made-1`, { maxAttempts: 2 }, as(creator)), 403);

    const updater = await role(['updateAgentOptimization'], 'proj/shop:agent-optimization/made-1');
    expect((await s.patch(`${optimizations()}/made-1`, { maxAttempts: 2 }, as(updater))).status).toBe(200);
    await refused(() => s.patch(optimization, { maxAttempts: 2 }, as(updater)), 403);
    await refused(() => s.post(`${optimizations()}/made-1/results`, result(0), as(updater)), 403);

    // An optimizer's token: records and updates runs, may not change the optimization.
    const recorder = await role(['createAgentOptimizationResult', 'updateAgentOptimizationResult'], 'proj/shop:agent-optimization/support-agent-tuning');
    const posted = await s.post(`${optimization}/results`, result(2), as(recorder));
    expect(posted.status).toBe(201);
    expect((await s.patch(`${optimization}/results/${posted.body.id}`, { status: 'RUNNING', activity: 'GENERATING' }, as(recorder))).status).toBe(200);
    await refused(() => s.patch(optimization, { maxAttempts: 2 }, as(recorder)), 403);
    await refused(() => s.del(`${optimization}/runs/${runId}`, as(recorder)), 403);
    await refused(() => s.post(`${optimizations()}/made-1/results`, result(0), as(recorder)), 403);

    const runDeleter = await role(['deleteAgentOptimizationRun']);
    await refused(() => s.del(`${optimizations()}/made-1`, as(runDeleter)), 403);
    expect((await s.del(`${optimization}/runs/${runId}`, as(runDeleter))).status).toBe(204);

    const deleter = await role(['deleteAgentOptimization']);
    await refused(() => s.del(`${optimizations('hidden')}/secret`, as(deleter)), 403);
    expect((await s.del(`${optimizations()}/made-1`, as(deleter))).status).toBe(204);
  });

  it("another project's optimization is not found through this project, nor its results", async () => {
    const hiddenResult = (await s.post(`${optimizations('hidden')}/secret/results`, result(0), as(s.tokens.admin))).body.id;
    await refused(() => s.get(`${optimizations()}/secret`, as(s.tokens.admin)), 404);
    await refused(() => s.patch(`${optimizations()}/secret`, { maxAttempts: 2 }, as(s.tokens.admin)), 404);
    await refused(() => s.del(`${optimizations()}/secret`, as(s.tokens.admin)), 404);
    await refused(() => s.get(`${optimizations()}/secret/runs`, as(s.tokens.admin)), 404);
    await refused(() => s.patch(`${optimization}/results/${hiddenResult}`, { status: 'PASSED' }, as(s.tokens.admin)), 404);
  });
});
