// Deleting a run (beta: LD-API-Version: beta): 204; every result of the run is gone, the other runs and the
// optimization stay; the same request again is a 404, as for a run that never existed. Audited on the optimization.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOptimizationTargets, SUPPORT_OPTIMIZATION } from '../../../test/support/agentOptimizations.js';
import { expectRefused } from '../../../test/support/digest.js';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteAgentOptimizationRun', () => {
  let s: TestServer;
  const optimization = '/api/v2/projects/shop/agent-optimizations/support-agent-tuning';
  const doomed = 'a3bb189e-8bf9-3888-9912-ace4e6543002';
  const kept = 'c56a4180-65aa-42ec-a945-5fd21dec0538';
  beforeAll(async () => {
    s = await startServer();
    await postOptimizationTargets(s.post, 'shop');
    expect((await s.post('/api/v2/projects/shop/agent-optimizations', SUPPORT_OPTIMIZATION)).status).toBe(201);
    for (const [runId, iteration] of [[doomed, 0], [doomed, 1], [kept, 0]] as const) {
      expect((await s.post(`${optimization}/results`, { runId, agentOptimizationVersion: 1, iteration, instructions: 'i', userInput: 'u' })).status).toBe(201);
    }
  });
  afterAll(() => s.close());

  it("204; the run's results are gone, the other run's stay", async () => {
    const res = await s.del(`${optimization}/runs/${doomed}`, BETA);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(`${optimization}/runs/${doomed}/results`)).body.totalCount).toBe(0);
    expect((await s.get(`${optimization}/runs`)).body.items.map((item: { runId: string }) => item.runId)).toEqual([kept]);
    expect((await s.get(`${optimization}/all-results`)).body.totalCount).toBe(1);
    expect((await s.get(optimization)).status).toBe(200);
  });

  it('again: 404, as for a run that never existed; the run ID may be used again', async () => {
    await expectRefused(s.store, () => s.del(`${optimization}/runs/${doomed}`, BETA), 404, 'not_found', `Run "${doomed}" of agent optimization "support-agent-tuning" not found`);
    expect((await s.post(`${optimization}/results`, { runId: doomed, agentOptimizationVersion: 1, iteration: 0, instructions: 'i', userInput: 'u' })).status).toBe(201);
  });

  it('audited on the optimization as deleteAgentOptimizationRun', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:agent-optimization/support-agent-tuning')).body.items;
    expect(entries.map((entry: { title: string }) => entry.title)).toContainEqual(expect.stringContaining(`deleted run ${doomed} (2 result(s)) of the agent optimization support-agent-tuning`));
  });
});
