// Deleting an agent optimization: 204; it and every result of its runs are gone (its key may be used again, from
// version 1); audited with the optimization as it was. An AI Config an optimization optimizes or judges with, and
// the variation it starts from, cannot be deleted while it does (400 naming the optimizations); afterwards they can.
// Deleting the project deletes its optimizations and their results. A deletion racing a creation never lets both
// through (on PostgreSQL: without the share lock the creation takes, it did).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOptimizationTargets, SUPPORT_OPTIMIZATION } from '../../../test/support/agentOptimizations.js';
import { expectRefused } from '../../../test/support/digest.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteAgentOptimization', () => {
  let s: TestServer;
  const optimizations = '/api/v2/projects/shop/agent-optimizations';
  const optimization = `${optimizations}/support-agent-tuning`;
  const configs = '/api/v2/projects/shop/ai-configs';
  const runId = '9b2f4a1e-3c5d-4e6f-8a7b-1c2d3e4f5a6b';
  beforeAll(async () => {
    s = await startServer();
    await postOptimizationTargets(s.post, 'shop');
    expect((await s.post(optimizations, SUPPORT_OPTIMIZATION)).status).toBe(201);
    expect((await s.post(optimizations, { key: 'judged-only', aiConfigKey: 'support-agent', maxAttempts: 1, judgeModel: 'gpt-4o', judges: [{ key: 'accuracy-judge', threshold: 0.5 }] })).status).toBe(201);
    expect((await s.post(`${optimization}/results`, { runId, agentOptimizationVersion: 1, iteration: 0, instructions: 'Help', userInput: 'Hi' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('the AI Config optimized, a judge, and the variation started from cannot be deleted while named: 400 naming the optimizations', async () => {
    await expectRefused(s.store, () => s.del(`${configs}/support-agent`), 400, 'invalid_request', 'configKey: AI Config "support-agent" is optimized or judges in agent optimization "judged-only", "support-agent-tuning"; delete those optimizations (or take it out of their judges) first');
    await expectRefused(s.store, () => s.del(`${configs}/accuracy-judge`), 400, 'invalid_request', /^configKey: AI Config "accuracy-judge" is optimized or judges in agent optimization "judged-only", "support-agent-tuning"/);
    await expectRefused(s.store, () => s.del(`${configs}/support-agent/variations/baseline`), 400, 'invalid_request', 'variationKey: variation "baseline" is where agent optimization "support-agent-tuning" start(s); point their variationKey elsewhere first');
  });

  it('204; the optimization and its results are gone, and the key starts over at version 1', async () => {
    expect((await s.patch(optimization, { maxAttempts: 2 })).body.version).toBe(2);
    const res = await s.del(optimization);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(optimization)).status).toBe(404);
    expect((await s.get(`${optimization}/all-results`)).status).toBe(404);
    expect(await s.store.db.selectFrom('agent_optimization_results').selectAll().execute()).toEqual([]);
    const again = await s.post(optimizations, SUPPORT_OPTIMIZATION);
    expect(again.body.version).toBe(1);
    expect((await s.get(`${optimization}/runs`)).body).toMatchObject({ items: [], totalCount: 0 });
  });

  it('audited as deleteAgentOptimization with the optimization as it was', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:agent-optimization/support-agent-tuning')).body.items;
    const deleted = (await s.get(`/api/v2/auditlog/${entries[1]._id}`)).body;
    expect(deleted).toMatchObject({ kind: 'agent-optimization', title: expect.stringContaining('deleted the agent optimization support-agent-tuning') });
    expect(deleted.previousVersion).toMatchObject({ key: 'support-agent-tuning', maxAttempts: 2, version: 2 });
  });

  it('once no optimization names them, the AI Configs and the variation may be deleted', async () => {
    for (const key of ['support-agent-tuning', 'judged-only']) expect((await s.del(`${optimizations}/${key}`)).status).toBe(204);
    expect((await s.del(`${configs}/accuracy-judge`)).status).toBe(204);
    expect((await s.post(`${configs}/support-agent/variations`, { key: 'other', name: 'Other', instructions: 'x' })).status).toBe(201);
    expect((await s.del(`${configs}/support-agent/variations/baseline`)).status).toBe(204);
    expect((await s.del(`${configs}/support-agent`)).status).toBe(204);
  });

  it('deleting the project deletes its optimizations and their results', async () => {
    await postOptimizationTargets(s.post, 'gone');
    expect((await s.post('/api/v2/projects/gone/agent-optimizations', SUPPORT_OPTIMIZATION)).status).toBe(201);
    expect((await s.post(`/api/v2/projects/gone/agent-optimizations/support-agent-tuning/results`, { runId, agentOptimizationVersion: 1, iteration: 0, instructions: 'i', userInput: 'u' })).status).toBe(201);
    expect((await s.del('/api/v2/projects/gone')).status).toBe(204);
    expect(await s.store.db.selectFrom('agent_optimizations').selectAll().execute()).toEqual([]);
    expect(await s.store.db.selectFrom('agent_optimization_results').selectAll().execute()).toEqual([]);
  });
});

describe('deleteAIConfig racing postAgentOptimization', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await postOptimizationTargets(s.post, 'race');
  });
  afterAll(() => s.close());

  it('never both: the optimization names a config that exists, or the deletion is refused, or the creation is', async () => {
    for (let i = 0; i < 6; i++) {
      const key = `racer-${i}`;
      expect((await s.post('/api/v2/projects/race/ai-configs', { key, name: key, mode: 'agent' })).status).toBe(201);
      const [created, deleted] = await Promise.all([
        s.post('/api/v2/projects/race/agent-optimizations', { key: `opt-${i}`, aiConfigKey: key, maxAttempts: 1, judgeModel: 'gpt-4o' }),
        s.del(`/api/v2/projects/race/ai-configs/${key}`),
      ]);
      expect([created.status, deleted.status].sort(), JSON.stringify([created.body, deleted.body])).toEqual(created.status === 201 ? [201, 400] : [204, 400]);
      const optimization = await s.get(`/api/v2/projects/race/agent-optimizations/opt-${i}`);
      const config = await s.get(`/api/v2/projects/race/ai-configs/${key}`);
      expect(optimization.status === 200 ? config.status : 200).toBe(200);
    }
  });
});
