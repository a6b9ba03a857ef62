// The project's AI Configs at a glance in one environment, from what iterlab stores: configs the SDKs evaluated there
// in the past seven days, running experiments on a config's flag, the share of thumbs up among the AI SDKs' feedback
// of the past seven days, and the month's token spend priced by each variation's model config; null when nothing
// measured them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertExperimentUsing } from '../../../test/support/experimentRefs.js';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getAIConfigQuickStats', () => {
  let s: TestServer;
  const NOW = Date.UTC(2026, 6, 10, 12);
  const DAY = 24 * 60 * 60 * 1000;
  const configs = '/api/v2/projects/shop/ai-configs';
  const context = { kind: 'user', key: 'ada' };
  const aiEvent = (key: string, value: number, at: number, configKey = 'chat', variationKey = 'a') => ({
    kind: 'custom',
    key,
    creationDate: at,
    context,
    data: { variationKey, configKey, version: 1, modelName: 'gpt-4o', providerName: 'OpenAI' },
    metricValue: value,
  });
  const evaluation = (key: string, at: number) => ({ kind: 'feature', key, creationDate: at, context, value: {}, default: {} });
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(configs, { key: 'chat', name: 'Chat', defaultVariation: { key: 'a', name: 'A', messages: [], modelConfigKey: 'OpenAI.gpt-4o' } })).status).toBe(201);
    expect((await s.post(`${configs}/chat/variations`, { key: 'b', name: 'B', messages: [] })).status).toBe(201);
    for (const key of ['helper', 'idle']) expect((await s.post(configs, { key, name: key })).status).toBe(201);
    expect((await s.post('/api/v2/flags/shop', { key: 'plain-flag', name: 'Plain flag' })).status).toBe(201);
    const events = [
      // Evaluated this week: chat and helper (and a flag that is no AI Config's); idle eight days ago.
      evaluation('chat', NOW - DAY),
      evaluation('helper', NOW - 6 * DAY),
      evaluation('idle', NOW - 8 * DAY),
      evaluation('plain-flag', NOW - DAY),
      // Feedback this week: 3 up, 1 down; not counted: older, and of a key that is no AI Config of the project.
      aiEvent('$ld:ai:feedback:user:positive', 1, NOW - DAY),
      aiEvent('$ld:ai:feedback:user:positive', 1, NOW - 2 * DAY),
      aiEvent('$ld:ai:feedback:user:positive', 1, NOW - 3 * DAY, 'helper', 'x'),
      aiEvent('$ld:ai:feedback:user:negative', 1, NOW - 2 * DAY, 'chat', 'b'),
      aiEvent('$ld:ai:feedback:user:negative', 1, NOW - 8 * DAY),
      aiEvent('$ld:ai:feedback:user:negative', 1, NOW - DAY, 'plain-flag'),
      // Tokens this month, priced for variation a (OpenAI.gpt-4o); b's have no price; last month's are not counted.
      aiEvent('$ld:ai:tokens:input', 1000, Date.UTC(2026, 6, 1)),
      aiEvent('$ld:ai:tokens:output', 500, NOW - DAY),
      aiEvent('$ld:ai:tokens:input', 7000, NOW - DAY, 'chat', 'b'),
      aiEvent('$ld:ai:tokens:input', 9000, Date.UTC(2026, 5, 30, 23)),
    ];
    expect((await s.request('POST', '/bulk', { token: await sdkKeyOf(s, 'shop'), body: events })).status).toBe(202);
    // Running on an AI Config's flag: counted once each. Not: stopped, archived, on another flag, in another environment.
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'chat-exp', status: 'running', refs: [{ kind: 'flag', key: 'chat' }, { kind: 'metric', key: 'm' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'helper-exp', status: 'running', refs: [{ kind: 'flag', key: 'helper' }, { kind: 'flag', key: 'plain-flag' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'stopped-exp', status: 'stopped', refs: [{ kind: 'flag', key: 'chat' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'archived-exp', status: 'running', archivedDate: NOW, refs: [{ kind: 'flag', key: 'chat' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', key: 'flag-exp', status: 'running', refs: [{ kind: 'flag', key: 'plain-flag' }] });
    await insertExperimentUsing(s, { projectKey: 'shop', environmentKey: 'test', key: 'test-exp', status: 'running', refs: [{ kind: 'flag', key: 'chat' }] });
  });
  afterAll(() => s.close());

  it("the environment's counts, satisfaction of the past seven days and the month's spend", async () => {
    const res = await s.get(`${configs}/quick-stats?env=production`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      activeConfigs: 2,
      activeExperiments: 2,
      averageSatisfaction7D: 0.75,
      // 1,000 input tokens at 0.0000025 and 500 output tokens at 0.00001.
      spendMonthToDate: 0.0075,
    });
  });

  it('an environment where nothing was measured: zero counts but its experiment, nulls', async () => {
    expect((await s.get(`${configs}/quick-stats?env=test`)).body).toEqual({ activeConfigs: 0, activeExperiments: 1, averageSatisfaction7D: null, spendMonthToDate: null });
  });

  it('a project without AI Configs', async () => {
    expect((await s.post('/api/v2/projects', { key: 'empty', name: 'Empty' })).status).toBe(201);
    expect((await s.get('/api/v2/projects/empty/ai-configs/quick-stats?env=production')).body).toEqual({ activeConfigs: 0, activeExperiments: 0, averageSatisfaction7D: null, spendMonthToDate: null });
  });
});
