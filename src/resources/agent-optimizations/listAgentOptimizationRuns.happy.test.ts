// Reading runs back: listAgentOptimizationRuns (one summary per run across versions, newest run first, its state the
// result updated last), listAgentOptimizationResults (each run's highest iteration, current version only),
// listAllAgentOptimizationResults (every result of every version, newest first) and
// listAgentOptimizationResultsByRunId (one run's results, highest iteration first); paging with LaunchDarkly's links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOptimizationTargets, SUPPORT_OPTIMIZATION } from '../../../test/support/agentOptimizations.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('listAgentOptimizationRuns, listAgentOptimizationResults, listAllAgentOptimizationResults, listAgentOptimizationResultsByRunId', () => {
  let s: TestServer;
  let now = Date.UTC(2026, 6, 2);
  const optimization = '/api/v2/projects/shop/agent-optimizations/support-agent-tuning';
  const run = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const results: Record<string, { id: string }> = {};
  const post = async (runNumber: number, iteration: number, version: number) => {
    now += 1000;
    const res = await s.post(`${optimization}/results`, { runId: run(runNumber), agentOptimizationVersion: version, iteration, instructions: `run ${runNumber} iteration ${iteration}`, userInput: 'u' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    results[`${runNumber}/${iteration}`] = res.body;
  };
  const patch = async (key: string, body: unknown) => {
    now += 1000;
    expect((await s.patch(`${optimization}/results/${results[key].id}`, body)).status).toBe(200);
  };
  beforeAll(async () => {
    s = await startServer({ now: () => now });
    await postOptimizationTargets(s.post, 'shop');
    expect((await s.post('/api/v2/projects/shop/agent-optimizations', SUPPORT_OPTIMIZATION)).status).toBe(201);
    // Run 1 on version 1: failed after two iterations.
    await post(1, 0, 1);
    await post(1, 1, 1);
    await patch('1/1', { status: 'FAILED', activity: 'COMPLETED' });
    expect((await s.patch(optimization, { maxAttempts: 8 })).body.version).toBe(2);
    // Run 2 on version 2: three iterations, still running; iteration 0 was reported on last.
    await post(2, 0, 2);
    await post(2, 1, 2);
    await post(2, 2, 2);
    await patch('2/0', { status: 'RUNNING', activity: 'COMPLETED' });
    // Run 3 on version 2: errored on its first iteration.
    await post(3, 0, 2);
    await patch('3/0', { status: 'ERRORED', activity: 'COMPLETED' });
  });
  afterAll(() => s.close());

  const ids = (items: { id: string }[]) => items.map((item) => item.id);

  it('runs: one per run across versions, newest first; status and activity from the result updated last', async () => {
    const res = await s.get(`${optimization}/runs`);
    expect(res.status).toBe(200);
    const config = (await s.get(optimization)).body;
    const summary = (n: number, version: number, status: string, activity: string, completedAt: number | null) => ({
      runId: run(n),
      optimizationKey: 'support-agent-tuning',
      agentOptimizationId: config.id,
      agentOptimizationVersion: version,
      status,
      activity,
      createdAt: (results[`${n}/0`] as unknown as { createdAt: number }).createdAt,
      completedAt,
    });
    const completed = async (key: string) => (await s.get(`${optimization}/all-results?limit=50`)).body.items.find((item: { id: string }) => item.id === results[key].id).completedAt;
    expect(res.body.items).toEqual([summary(3, 2, 'ERRORED', 'COMPLETED', await completed('3/0')), summary(2, 2, 'RUNNING', 'COMPLETED', null), summary(1, 1, 'FAILED', 'COMPLETED', await completed('1/1'))]);
    expect(res.body.totalCount).toBe(3);
    const page = await s.get(`${optimization}/runs?limit=2&offset=2`);
    expect(page.body.items.map((item: { runId: string }) => item.runId)).toEqual([run(1)]);
    expect(page.body._links.prev.href).toBe(`${optimization}/runs?limit=2&offset=0`);
  });

  it('results: the highest iteration of each run of the current version, newest run first', async () => {
    const res = await s.get(`${optimization}/results`);
    expect(res.status).toBe(200);
    expect(ids(res.body.items)).toEqual([results['3/0'].id, results['2/2'].id]);
    expect(res.body.totalCount).toBe(2);
    expect(res.body.items[1]).toMatchObject({ runId: run(2), iteration: 2, agentOptimizationVersion: 2, status: 'RUNNING', activity: 'PENDING' });
    expect(res.body._links.self.href).toBe(`${optimization}/results?limit=20&offset=0`);
  });

  it('all-results: every result of every version, newest first, in pages', async () => {
    const res = await s.get(`${optimization}/all-results`);
    expect(ids(res.body.items)).toEqual(['3/0', '2/2', '2/1', '2/0', '1/1', '1/0'].map((key) => results[key].id));
    expect(res.body.totalCount).toBe(6);
    const page = await s.get(`${optimization}/all-results?limit=4&offset=4`);
    expect(ids(page.body.items)).toEqual([results['1/1'].id, results['1/0'].id]);
    expect(page.body._links.first.href).toBe(`${optimization}/all-results?limit=4&offset=0`);
  });

  it("a run's results, highest iteration first; a run with none lists none", async () => {
    const res = await s.get(`${optimization}/runs/${run(2)}/results`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((item: { iteration: number }) => item.iteration)).toEqual([2, 1, 0]);
    expect(res.body).toMatchObject({ totalCount: 3, _links: { self: { href: `${optimization}/runs/${run(2)}/results` } } });
    expect((await s.get(`${optimization}/runs/${run(9)}/results`)).body).toMatchObject({ items: [], totalCount: 0 });
  });
});
