// AI Configs end to end with LaunchDarkly's own clients, unchanged: the REST client's AIConfigsBetaApi makes a model
// config, an AI Config and its variation (targeting, which that client version lacks, is patched as the docs show);
// the Node SDK with the AI SDK (`initAi`) is served the config — disabled until targeting points at the variation,
// then its model, provider and interpolated messages, following each change; what its tracker sends comes back as
// the config's metrics, per config and per variation.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LDClient } from '@launchdarkly/node-server-sdk';
import { initAi, type LDAIClient } from '@launchdarkly/server-sdk-ai';
import { AIConfigsBetaApi, Configuration } from 'launchdarkly-api-typescript';
import { clientFailure } from './support/client.js';
import { sdkClient, sdkKeyOf } from './support/sdk.js';
import { startServer, type TestServer } from './support/server.js';

const SEMANTIC_PATCH = { 'Content-Type': 'application/json; domain-model=launchdarkly.semanticpatch' };

describe('AI Configs through launchdarkly-api-typescript (AIConfigsBetaApi), the Node SDK and the AI SDK', () => {
  let s: TestServer;
  let api: AIConfigsBetaApi;
  let sdk: LDClient;
  let ai: LDAIClient;
  const started = Date.now();
  const context = { kind: 'user', key: 'ada', name: 'Ada' };
  beforeAll(async () => {
    s = await startServer({ listen: true });
    expect((await s.post('/api/v2/projects', { key: 'chat', name: 'Chat' })).status).toBe(201);
    api = new AIConfigsBetaApi(new Configuration({ apiKey: s.tokens.writer, basePath: s.url }));
    sdk = sdkClient(s.url, await sdkKeyOf(s, 'chat'), { sendEvents: true, flushInterval: 3600 });
    await sdk.waitForInitialization({ timeout: 10 });
    ai = initAi(sdk);
  });
  afterAll(async () => {
    sdk.close();
    await s.close();
  });

  it('create, target, serve, change: the AI SDK follows', async () => {
    const model = await api.postModelConfig('beta', 'chat', {
      name: 'GPT-4o mini (support)',
      key: 'support-mini',
      id: 'gpt-4o-mini',
      provider: 'OpenAI',
      params: { temperature: 0.3, max_tokens: 256 },
      costPerInputToken: 0.000001,
      costPerOutputToken: 0.000002,
    });
    expect(model.status).toBe(200);
    expect(model.data).toMatchObject({ key: 'support-mini', global: false, isRestricted: false, version: 1 });
    expect((await api.getModelConfig('beta', 'chat', 'support-mini')).data).toEqual(model.data);
    expect((await api.listModelConfigs('beta', 'chat')).data.map((m) => m.key)).toContain('support-mini');

    expect((await api.postAIConfig('beta', 'chat', { key: 'assistant', name: 'Assistant', tags: ['support'] })).status).toBe(201);
    const created = await api.postAIConfigVariation('beta', 'chat', 'assistant', {
      key: 'friendly',
      name: 'Friendly',
      messages: [{ role: 'system', content: 'You help {{ldctx.name}} with {{topic}}.' }],
      model: { modelName: 'gpt-4o-mini', parameters: { temperature: 0.7 } },
      modelConfigKey: 'support-mini',
    });
    expect(created.status).toBe(201);
    // The spec's AIConfigVariation has `_id`; this client version's type does not yet.
    const variation = created.data as typeof created.data & { _id: string };

    // A new config serves its disabled variation until targeting points at one of its variations.
    await vi.waitFor(async () => expect((await ai.completionConfig('assistant', context, { enabled: true }, { topic: 'billing' })).enabled).toBe(false));

    const targeting = await s.patch(
      '/api/v2/projects/chat/ai-configs/assistant/targeting',
      { environmentKey: 'production', instructions: [{ kind: 'updateFallthroughVariationOrRollout', variationId: variation._id }] },
      { headers: SEMANTIC_PATCH },
    );
    expect(targeting.status, JSON.stringify(targeting.body)).toBe(200);
    expect(targeting.body.environments.production.fallthrough).toEqual({ variation: 1 });

    await vi.waitFor(async () => expect((await ai.completionConfig('assistant', context, { enabled: false }, { topic: 'billing' })).enabled).toBe(true));
    const served = await ai.completionConfig('assistant', context, { enabled: false }, { topic: 'billing' });
    expect(served).toMatchObject({
      key: 'assistant',
      enabled: true,
      // The variation's model over its model config's parameters, and the model config's provider.
      model: { name: 'gpt-4o-mini', parameters: { temperature: 0.7, max_tokens: 256 } },
      provider: { name: 'OpenAI' },
      messages: [{ role: 'system', content: 'You help Ada with billing.' }],
    });
    expect(served.tracker!.getTrackData()).toEqual({ variationKey: 'friendly', configKey: 'assistant', version: 1, modelName: 'gpt-4o-mini', providerName: 'OpenAI' });

    const patched = await api.patchAIConfigVariation('beta', 'chat', 'assistant', 'friendly', { messages: [{ role: 'system', content: 'Be brief with {{ldctx.name}}.' }] });
    expect(patched.data).toMatchObject({ key: 'friendly', _id: variation._id, version: 2 });
    await vi.waitFor(async () => expect((await ai.completionConfig('assistant', context, { enabled: false })).messages).toEqual([{ role: 'system', content: 'Be brief with Ada.' }]));
    expect((await ai.completionConfig('assistant', context, { enabled: false })).tracker!.getTrackData().version).toBe(2);
    const versions = (await api.getAIConfigVariation('beta', 'chat', 'assistant', 'friendly')).data;
    expect(versions.totalCount).toBe(2);
    expect(versions.items.map((v) => v.version)).toEqual([1, 2]);

    // Another user, targeted individually at the disabled variation: the SDK says disabled for them only.
    const disabledId = targeting.body.variations[0]._id;
    await s.patch('/api/v2/projects/chat/ai-configs/assistant/targeting', { environmentKey: 'production', instructions: [{ kind: 'addTargets', variationId: disabledId, values: ['bob'] }] }, { headers: SEMANTIC_PATCH });
    await vi.waitFor(async () => expect((await ai.completionConfig('assistant', { kind: 'user', key: 'bob' }, { enabled: true })).enabled).toBe(false));
    expect((await ai.completionConfig('assistant', context, { enabled: false })).enabled).toBe(true);

    // Served variations cannot be deleted.
    const refused = await clientFailure(api.deleteAIConfigVariation('beta', 'chat', 'assistant', 'friendly'));
    expect(refused.status).toBe(400);
    expect(refused.data.message).toContain('variationKey: variation "friendly" is served by the targeting in environment "production"');

    const renamed = await api.patchAIConfig('beta', 'chat', 'assistant', { name: 'Support assistant', description: 'Answers tickets' });
    expect(renamed.data).toMatchObject({ name: 'Support assistant', description: 'Answers tickets', version: 4 });
    expect((await api.getAIConfigs('beta', 'chat')).data.items!.map((c) => [c.key, c.name])).toEqual([['assistant', 'Support assistant']]);
    expect((await api.getAIConfig('beta', 'chat', 'assistant')).data.variations.map((v) => [v.key, v.version])).toEqual([['friendly', 2]]);
  });

  it("the AI SDK tracker's events are the config's metrics, per config and per variation", async () => {
    const config = await ai.completionConfig('assistant', context, { enabled: false });
    const tracker = config.tracker!;
    tracker.trackSuccess();
    tracker.trackTokens({ total: 30, input: 10, output: 20 });
    tracker.trackDuration(120);
    tracker.trackTimeToFirstToken(40);
    tracker.trackFeedback({ kind: 'positive' as never });
    tracker.trackError();
    tracker.trackDuration(80);
    await sdk.flush();
    const to = Date.now() + 60_000;
    await vi.waitFor(async () => expect((await api.getAIConfigMetrics('beta', 'chat', 'assistant', started, to, 'production')).data.generationCount).toBe(2));
    const metrics = (await api.getAIConfigMetrics('beta', 'chat', 'assistant', started, to, 'production')).data;
    expect(metrics).toEqual({
      inputTokens: 10,
      outputTokens: 20,
      totalTokens: 30,
      generationCount: 2,
      generationSuccessCount: 1,
      generationErrorCount: 1,
      thumbsUp: 1,
      thumbsDown: 0,
      durationMs: 100,
      timeToFirstTokenMs: 40,
      satisfactionRating: 1,
      inputCost: 0.00001,
      outputCost: 0.00004,
    });
    const split = (await api.getAIConfigMetricsByVariation('beta', 'chat', 'assistant', started, to, 'production')).data;
    expect(split).toEqual([{ variationKey: 'friendly', metrics }]);
    // Another environment saw none of it.
    expect((await api.getAIConfigMetrics('beta', 'chat', 'assistant', started, to, 'test')).data).toMatchObject({ generationCount: 0, totalTokens: 0 });
  });

  it('deleting the config: the SDK finds no flag and falls back to the default', async () => {
    expect((await api.deleteAIConfig('beta', 'chat', 'assistant')).status).toBe(204);
    await vi.waitFor(async () => expect((await sdk.variationDetail('assistant', context, 'fallback')).reason).toEqual({ kind: 'ERROR', errorKind: 'FLAG_NOT_FOUND' }));
    expect((await ai.completionConfig('assistant', context, { enabled: true, model: { name: 'local' } })).model).toEqual({ name: 'local' });
    const missing = await clientFailure(api.getAIConfig('beta', 'chat', 'assistant'));
    expect(missing).toEqual({ status: 404, data: { code: 'not_found', message: 'AI Config "assistant" in project "chat" not found' } });
    expect((await api.deleteModelConfig('beta', 'chat', 'support-mini')).status).toBe(204);
  });
});
