// Metrics from the AI SDK's events as the event intake stores them (sent here as the SDK sends them to /bulk):
// token, generation and feedback counts, means of durations and judge scores, costs from each variation's model
// config; only the config's events, in the environment and range asked for (`to` exclusive); split by variation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkKeyOf } from '../../../test/support/sdk.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getAIConfigMetrics, getAIConfigMetricsByVariation', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs/chat';
  const T = Date.UTC(2026, 0, 1);
  const event = (key: string, value: number, variationKey: string, at = T, configKey = 'chat') => ({
    kind: 'custom',
    key,
    creationDate: at,
    context: { kind: 'user', key: 'ada' },
    data: { variationKey, configKey, version: 1, modelName: 'gpt-4o', providerName: 'OpenAI' },
    metricValue: value,
  });
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post('/api/v2/projects/shop/ai-configs', { key: 'chat', name: 'Chat' })).status).toBe(201);
    expect((await s.post(`${url}/variations`, { key: 'a', name: 'A', messages: [], modelConfigKey: 'OpenAI.gpt-4o' })).status).toBe(201);
    expect((await s.post(`${url}/variations`, { key: 'b', name: 'B', messages: [] })).status).toBe(201);
    const events = [
      event('$ld:ai:generation:success', 1, 'a'),
      event('$ld:ai:generation:success', 1, 'a'),
      event('$ld:ai:generation:error', 1, 'b'),
      event('$ld:ai:tokens:total', 300, 'a'),
      event('$ld:ai:tokens:input', 100, 'a'),
      event('$ld:ai:tokens:output', 200, 'a'),
      event('$ld:ai:tokens:input', 50, 'b'),
      event('$ld:ai:duration:total', 100, 'a'),
      event('$ld:ai:duration:total', 201, 'a'),
      event('$ld:ai:tokens:ttf', 30, 'b'),
      event('$ld:ai:feedback:user:positive', 1, 'a'),
      event('$ld:ai:feedback:user:positive', 1, 'a'),
      event('$ld:ai:feedback:user:negative', 1, 'b'),
      event('$ld:ai:judge:relevance', 0.5, 'a'),
      event('$ld:ai:judge:relevance', 1, 'a'),
      // Not counted: another config's, the disabled variation's in the split only, outside the range, an unrelated event.
      event('$ld:ai:generation:success', 1, 'a', T, 'other'),
      event('$ld:ai:generation:success', 1, '', T),
      event('$ld:ai:generation:success', 1, 'a', T + 60_000),
      { kind: 'custom', key: 'checkout', creationDate: T, context: { kind: 'user', key: 'ada' }, data: { configKey: 'chat' }, metricValue: 5 },
    ];
    const stored = await s.request('POST', '/bulk', { token: await sdkKeyOf(s, 'shop'), body: events });
    expect(stored.status).toBe(202);
  });
  afterAll(() => s.close());

  const range = `from=${T}&to=${T + 60_000}&env=production`;

  it("the config's metrics in the environment and range", async () => {
    const res = await s.get(`${url}/metrics?${range}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      inputTokens: 150,
      outputTokens: 200,
      totalTokens: 300,
      generationCount: 4,
      generationSuccessCount: 3,
      generationErrorCount: 1,
      thumbsUp: 2,
      thumbsDown: 1,
      durationMs: 151,
      timeToFirstTokenMs: 30,
      satisfactionRating: 2 / 3,
      // Variation a's model config (OpenAI.gpt-4o) prices its tokens; b has none.
      inputCost: 0.00025,
      outputCost: 0.002,
      judgeRelevance: 0.75,
    });
    expect((await s.get(`${url}/metrics?from=${T}&to=${T + 60_001}&env=production`)).body.generationSuccessCount).toBe(4);
    expect((await s.get(`${url}/metrics?from=${T}&to=${T + 60_000}&env=test`)).body).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      totalTokens: 0,
      generationCount: 0,
      generationSuccessCount: 0,
      generationErrorCount: 0,
      thumbsUp: 0,
      thumbsDown: 0,
    });
  });

  it('split by variation, each of the config\'s in order', async () => {
    const res = await s.get(`${url}/metrics-by-variation?${range}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.map((v: { variationKey: string }) => v.variationKey)).toEqual(['a', 'b']);
    expect(res.body[0].metrics).toMatchObject({ generationSuccessCount: 2, inputTokens: 100, inputCost: 0.00025, thumbsUp: 2, judgeRelevance: 0.75 });
    expect(res.body[1].metrics).toEqual({ inputTokens: 50, outputTokens: 0, totalTokens: 0, generationCount: 1, generationSuccessCount: 0, generationErrorCount: 1, thumbsUp: 0, thumbsDown: 1, timeToFirstTokenMs: 30, satisfactionRating: 0 });
  });

  it('contextKind and contextKey (2026-07): only the events of a context of that kind (and key); a multi-kind context counts for each of its kinds', async () => {
    const later = T + 120_000;
    const as = (context: Record<string, unknown>, key: string, value: number, variationKey: string) => ({ ...event(key, value, variationKey, later), context });
    const events = [
      as({ kind: 'user', key: 'ada' }, '$ld:ai:tokens:input', 10, 'a'),
      as({ kind: 'user', key: 'bob' }, '$ld:ai:tokens:input', 20, 'a'),
      as({ kind: 'multi', user: { key: 'bob' }, org: { key: 'acme' } }, '$ld:ai:tokens:input', 40, 'b'),
      as({ kind: 'device', key: 'phone-1' }, '$ld:ai:generation:success', 1, 'b'),
    ];
    expect((await s.request('POST', '/bulk', { token: await sdkKeyOf(s, 'shop'), body: events })).status).toBe(202);
    const window = `from=${later}&to=${later + 1}&env=production`;
    const metrics = async (query: string) => (await s.get(`${url}/metrics?${window}${query}`)).body;
    expect(await metrics('')).toMatchObject({ inputTokens: 70, generationSuccessCount: 1 });
    expect(await metrics('&contextKind=user')).toMatchObject({ inputTokens: 70, generationSuccessCount: 0 });
    expect(await metrics('&contextKind=user&contextKey=bob')).toMatchObject({ inputTokens: 60, generationCount: 0 });
    expect(await metrics('&contextKind=org&contextKey=acme')).toMatchObject({ inputTokens: 40 });
    expect(await metrics('&contextKind=device')).toMatchObject({ inputTokens: 0, generationSuccessCount: 1 });
    expect(await metrics('&contextKind=user&contextKey=nobody')).toMatchObject({ inputTokens: 0, generationCount: 0 });
    // The key is of the kind asked for: bob is a user, not an org.
    expect(await metrics('&contextKind=org&contextKey=bob')).toMatchObject({ inputTokens: 0 });
    // The variation's model config prices only the context's tokens: 10 input tokens of variation a at 0.0000025.
    expect((await metrics('&contextKind=user&contextKey=ada')).inputCost).toBe(0.000025);

    const split = (await s.get(`${url}/metrics-by-variation?${window}&contextKind=user&contextKey=bob`)).body;
    expect(split.map((v: { variationKey: string; metrics: { inputTokens: number } }) => [v.variationKey, v.metrics.inputTokens])).toEqual([
      ['a', 20],
      ['b', 40],
    ]);
  });
});
