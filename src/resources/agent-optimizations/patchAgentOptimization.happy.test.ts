// Updating agent optimizations: the members sent replace the optimization's and make a new version (`createdAt` is
// the version's); members not sent are kept; a body that changes nothing makes no version and records nothing; runs
// keep the version they started with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOptimizationTargets, SUPPORT_OPTIMIZATION } from '../../../test/support/agentOptimizations.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('patchAgentOptimization', () => {
  let s: TestServer;
  let now = Date.UTC(2026, 6, 1);
  const optimization = '/api/v2/projects/shop/agent-optimizations/support-agent-tuning';
  beforeAll(async () => {
    s = await startServer({ now: () => now });
    await postOptimizationTargets(s.post, 'shop');
    expect((await s.post('/api/v2/projects/shop/agent-optimizations', SUPPORT_OPTIMIZATION)).status).toBe(201);
  });
  afterAll(() => s.close());

  it('200 with the members sent replaced, as version 2 made now; the rest kept', async () => {
    now += 60_000;
    const res = await s.patch(optimization, { maxAttempts: 10, modelChoices: ['OpenAI.gpt-4.1'], judges: [], acceptanceStatements: [{ statement: 'Polite', threshold: 0.5 }], autoCommit: false });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ ...SUPPORT_OPTIMIZATION, maxAttempts: 10, modelChoices: ['OpenAI.gpt-4.1'], judges: [], acceptanceStatements: [{ statement: 'Polite', threshold: 0.5 }], autoCommit: false, version: 2, createdAt: now });
    expect((await s.get(optimization)).body).toEqual(res.body);
  });

  it('expected outputs replaced together with their inputs; a new variation to start from', async () => {
    expect((await s.post('/api/v2/projects/shop/ai-configs/support-agent/variations', { key: 'terse', name: 'Terse', instructions: 'Answer in one line' })).status).toBe(201);
    const res = await s.patch(optimization, { groundTruthResponses: ['Restart it'], userInputOptions: ['Router down'], variableChoices: [{ product: 'router' }], variationKey: 'terse' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ groundTruthResponses: ['Restart it'], userInputOptions: ['Router down'], variableChoices: [{ product: 'router' }], variationKey: 'terse', version: 3 });
  });

  it('a body that changes nothing: 200, the same version, nothing audited', async () => {
    const before = (await s.get(optimization)).body;
    const audited = (await s.get('/api/v2/auditlog?spec=proj/shop:agent-optimization/support-agent-tuning')).body.items.length;
    now += 60_000;
    const res = await s.patch(optimization, { maxAttempts: 10, variationKey: 'terse' });
    expect(res.body).toEqual(before);
    expect((await s.patch(optimization, {})).body).toEqual(before);
    expect((await s.get('/api/v2/auditlog?spec=proj/shop:agent-optimization/support-agent-tuning')).body.items).toHaveLength(audited);
  });

  it('a run started on an earlier version keeps it; new runs take the current one', async () => {
    const runId = '7c9e6679-7425-40de-944b-e07fc1f90ae7';
    const first = await s.post(`${optimization}/results`, { runId, agentOptimizationVersion: 2, iteration: 0, instructions: 'Help', userInput: 'Router down' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.agentOptimizationVersion).toBe(2);
    const update = await s.patch(optimization, { label: 'Retuned' });
    expect(update.body.version).toBe(4);
    expect((await s.post(`${optimization}/results`, { runId, agentOptimizationVersion: 2, iteration: 1, instructions: 'Help more', userInput: 'Router down' })).status).toBe(201);
    expect((await s.get(`${optimization}/runs`)).body.items[0]).toMatchObject({ runId, agentOptimizationVersion: 2 });
  });

  it('each version is audited as updateAgentOptimization, with the change as sent', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:agent-optimization/support-agent-tuning')).body.items;
    const updates = entries.filter((entry: { title: string }) => entry.title.includes('updated the agent optimization'));
    expect(updates).toHaveLength(3);
    const latest = (await s.get(`/api/v2/auditlog/${updates[0]._id}`)).body;
    expect(latest).toMatchObject({ kind: 'agent-optimization', title: expect.stringContaining('updated the agent optimization support-agent-tuning (version 4)') });
    expect(latest.previousVersion).toMatchObject({ version: 3 });
    expect(latest.currentVersion).toMatchObject({ version: 4, label: 'Retuned' });
  });
});
