// Creating agent optimizations with the spec's members, as a generated client sends them: 201 with the
// AgentOptimization at version 1 (an ID, `_links`, every list present), read back the same by getAgentOptimization
// (what LaunchDarkly's optimizer SDK reads); the least a body may send (key, aiConfigKey, maxAttempts, judgeModel);
// audited in the same write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postOptimizationTargets, SUPPORT_OPTIMIZATION } from '../../../test/support/agentOptimizations.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postAgentOptimization, getAgentOptimization', () => {
  let s: TestServer;
  const optimizations = '/api/v2/projects/shop/agent-optimizations';
  const now = Date.UTC(2026, 6, 1);
  beforeAll(async () => {
    s = await startServer({ now: () => now });
    await postOptimizationTargets(s.post, 'shop');
  });
  afterAll(() => s.close());

  it('201 with the optimization as sent, at version 1; read back the same', async () => {
    const res = await s.post(optimizations, SUPPORT_OPTIMIZATION);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const { key, ...members } = SUPPORT_OPTIMIZATION;
    expect(res.body).toEqual({
      _links: {
        parent: { href: optimizations, type: 'application/json' },
        self: { href: `${optimizations}/${key}`, type: 'application/json' },
      },
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      key,
      ...members,
      version: 1,
      createdAt: now,
    });
    expect((await s.get(`${optimizations}/${key}`)).body).toEqual(res.body);
  });

  it('the least a body sends: the lists every optimization has come back empty, the rest absent', async () => {
    const res = await s.post(optimizations, { key: 'minimal', aiConfigKey: 'support-agent', maxAttempts: 1, judgeModel: 'gpt-4o-mini' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ key: 'minimal', aiConfigKey: 'support-agent', maxAttempts: 1, judgeModel: 'gpt-4o-mini', modelChoices: [], variableChoices: [], acceptanceStatements: [], judges: [], userInputOptions: [], groundTruthResponses: [], version: 1 });
    for (const absent of ['metricKey', 'tokenLimit', 'variationKey', 'label', 'latencyOptimization', 'tokenOptimization', 'autoCommit']) expect(res.body).not.toHaveProperty(absent);
  });

  it('model names are kept as sent: a run resolves them against the model configs itself', async () => {
    const res = await s.post(optimizations, { key: 'any-model', aiConfigKey: 'support-agent', maxAttempts: 3, judgeModel: 'claude-opus-4-5', modelChoices: ['gpt-5', 'Bedrock.us.amazon.nova-pro-v1:0'] });
    expect(res.status).toBe(201);
    expect(res.body.modelChoices).toEqual(['gpt-5', 'Bedrock.us.amazon.nova-pro-v1:0']);
  });

  it('each creation is audited on proj/p:agent-optimization/key, with the optimization as created', async () => {
    const entries = (await s.get('/api/v2/auditlog?spec=proj/shop:agent-optimization/support-agent-tuning')).body.items;
    expect(entries).toHaveLength(1);
    const entry = (await s.get(`/api/v2/auditlog/${entries[0]._id}`)).body;
    expect(entry).toMatchObject({ kind: 'agent-optimization', title: expect.stringContaining('created the agent optimization support-agent-tuning') });
    expect(entry.currentVersion).toMatchObject({ key: 'support-agent-tuning', version: 1, aiConfigKey: 'support-agent' });
  });
});
