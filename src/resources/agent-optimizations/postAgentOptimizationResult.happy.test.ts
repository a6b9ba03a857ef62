// A run as LaunchDarkly's optimizer SDK (`optimize_from_config`) records it, with the bodies it sends: it reads the
// optimization, posts a result when an iteration starts (RUNNING, PENDING), patches it as the iteration goes
// (GENERATING, EVALUATING with scores, tokens and latencies, COMPLETED), closes it when the next starts, marks the
// winner PASSED, creates the winning variation on the AI Config and patches its key onto the winning result.
// Each write is audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOptimizationTargets, SUPPORT_OPTIMIZATION } from '../../../test/support/agentOptimizations.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postAgentOptimizationResult, patchAgentOptimizationResult', () => {
  let s: TestServer;
  let now = Date.UTC(2026, 6, 1, 9);
  const optimization = '/api/v2/projects/shop/agent-optimizations/support-agent-tuning';
  const runId = '046b6c7f-0b8a-43b9-b35d-6489e6daee91';
  beforeAll(async () => {
    s = await startServer({ now: () => now });
    await postOptimizationTargets(s.post, 'shop');
    expect((await s.post('/api/v2/projects/shop/agent-optimizations', SUPPORT_OPTIMIZATION)).status).toBe(201);
  });
  afterAll(() => s.close());

  const tick = () => (now += 1000);
  const patch = async (id: string, body: unknown) => {
    tick();
    const res = await s.patch(`${optimization}/results/${id}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  it('a whole run: results posted per iteration, patched as they go, the winner committed', async () => {
    const config = (await s.get(optimization)).body;
    const version = config.version;

    // Iteration 0: the agent as it is.
    const posted = await s.post(`${optimization}/results`, { runId, agentOptimizationVersion: version, iteration: 0, instructions: 'Help the customer with {{product}}', userInput: 'My router keeps dropping Wi-Fi', parameters: { temperature: 0.7 } });
    expect(posted.status, JSON.stringify(posted.body)).toBe(201);
    const first = posted.body;
    expect(first).toEqual({
      _links: { parent: { href: optimization, type: 'application/json' }, self: { href: `${optimization}/results/${first.id}`, type: 'application/json' } },
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      runId,
      agentOptimizationId: config.id,
      agentOptimizationVersion: 1,
      status: 'RUNNING',
      activity: 'PENDING',
      iteration: 0,
      instructions: 'Help the customer with {{product}}',
      userInput: 'My router keeps dropping Wi-Fi',
      parameters: { temperature: 0.7 },
      createdAt: now,
      updatedAt: now,
    });
    await patch(first.id, { status: 'RUNNING', activity: 'GENERATING' });
    const evaluated = await patch(first.id, {
      status: 'RUNNING',
      activity: 'EVALUATING',
      completionResponse: 'Please restart it.',
      scores: { 'accuracy-judge': { score: 0.4, rationale: 'No firmware step', threshold: 0.9 }, 'acceptance-statement-0': { score: 0.6, threshold: 0.8 } },
      generationLatency: 1840,
      generationTokens: { total: 420, input: 380, output: 40 },
      evaluationLatencies: { 'accuracy-judge': 912.5 },
      evaluationTokens: { 'accuracy-judge': { total: 200, input: 180, output: 20 } },
      variation: { instructions: 'Help the customer with {{product}}', parameters: { temperature: 0.7 }, modelConfigKey: 'OpenAI.gpt-4o' },
    });
    expect(evaluated).toMatchObject({ status: 'RUNNING', activity: 'EVALUATING', completionResponse: 'Please restart it.', generationLatency: 1840, scores: { 'accuracy-judge': { score: 0.4 } }, updatedAt: now });
    expect(evaluated).not.toHaveProperty('completedAt');

    // Iteration 1 starts: the SDK closes iteration 0 as completed.
    tick();
    const second = (await s.post(`${optimization}/results`, { runId, agentOptimizationVersion: version, iteration: 1, instructions: 'Name the product, then give one next step', userInput: 'The modem light is blinking orange' })).body;
    const closed = await patch(first.id, { status: 'RUNNING', activity: 'COMPLETED' });
    expect(closed).toMatchObject({ status: 'RUNNING', activity: 'COMPLETED', completedAt: now });
    await patch(second.id, { status: 'RUNNING', activity: 'EVALUATING', scores: { 'accuracy-judge': { score: 0.95 } } });
    const passed = await patch(second.id, { status: 'PASSED', activity: 'COMPLETED' });
    expect(passed).toMatchObject({ status: 'PASSED', activity: 'COMPLETED', completedAt: now, scores: { 'accuracy-judge': { score: 0.95 } } });

    // auto-commit: the winning variation is created on the AI Config, then named on the winning result.
    expect((await s.post('/api/v2/projects/shop/ai-configs/support-agent/variations', { key: 'optimized-1', name: 'Optimized 1', instructions: 'Name the product, then give one next step', model: { modelName: 'gpt-4o' } })).status).toBe(201);
    const committed = await patch(second.id, { createdVariationKey: 'optimized-1' });
    expect(committed).toMatchObject({ status: 'PASSED', createdVariationKey: 'optimized-1', completedAt: passed.completedAt, updatedAt: now });

    const runs = (await s.get(`${optimization}/runs`)).body;
    expect(runs.items).toEqual([{ runId, optimizationKey: 'support-agent-tuning', agentOptimizationId: config.id, agentOptimizationVersion: 1, status: 'PASSED', activity: 'COMPLETED', createdAt: first.createdAt, completedAt: passed.completedAt }]);
  });

  it('a result set back to RUNNING is no longer completed', async () => {
    const row = (await s.get(`${optimization}/runs/${runId}/results`)).body.items[0];
    const reopened = await patch(row.id, { status: 'RUNNING', activity: 'VALIDATING' });
    expect(reopened).not.toHaveProperty('completedAt');
    expect((await s.get(`${optimization}/runs`)).body.items[0]).toMatchObject({ status: 'RUNNING', activity: 'VALIDATING', completedAt: null });
    await patch(row.id, { status: 'PASSED', activity: 'COMPLETED' });
  });

  it('a run ID in capitals is the same run', async () => {
    const res = await s.post(`${optimization}/results`, { runId: runId.toUpperCase(), agentOptimizationVersion: 1, iteration: 2, instructions: 'i', userInput: 'u' });
    expect(res.status).toBe(201);
    expect(res.body.runId).toBe(runId);
    expect((await s.get(`${optimization}/runs`)).body.totalCount).toBe(1);
  });

  it('each write is audited on the optimization: createAgentOptimizationResult, updateAgentOptimizationResult', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:agent-optimization/support-agent-tuning&limit=20')).body.items;
    const titles = entries.map((entry: { title: string }) => entry.title);
    expect(titles.filter((title: string) => title.includes(`recorded iteration 0 of run ${runId}`))).toHaveLength(1);
    expect(titles.filter((title: string) => title.includes(`updated iteration 1 of run ${runId}`)).length).toBeGreaterThanOrEqual(3);
  });
});
