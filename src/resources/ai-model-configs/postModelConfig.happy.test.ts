// A project's own model configs beside the global ones: created (200, version 1), read back, listed before
// the global catalog; deleted (204) once no variation uses it; audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postModelConfig, getModelConfig, listModelConfigs, deleteModelConfig', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs/model-configs';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('200 with the model config; read back; listed before the global ones', async () => {
    const body = { name: 'Llama 3 (self-hosted)', key: 'llama', id: 'llama-3-70b', icon: 'meta', provider: 'Meta', params: { temperature: 0.5 }, customParams: { endpoint: 'https://llm.internal' }, tags: ['oss'], costPerInputToken: 0, costPerOutputToken: 0 };
    const res = await s.post(url, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...body, global: false, version: 1, isRestricted: false });
    expect((await s.get(`${url}/llama`)).body).toEqual(res.body);
    const list = (await s.get(url)).body;
    expect(list[0]).toEqual(res.body);
    expect(list.slice(1).every((m: { global: boolean }) => m.global)).toBe(true);
    expect(list.map((m: { key: string }) => m.key)).toContain('OpenAI.gpt-4o');
    const entry = (await s.get(`/api/v2/auditlog?spec=${encodeURIComponent('proj/shop:ai-model-config/llama')}`)).body.items[0];
    expect(entry).toMatchObject({ kind: 'ai-model-config', title: expect.stringContaining('created the model config Llama 3 (self-hosted)') });
  });

  it('costPerCachedInputToken (2026-07): stored and read back, listed the same', async () => {
    const body = { name: 'GPT cached', key: 'gpt-cached', id: 'gpt-4o', provider: 'OpenAI', costPerInputToken: 0.0000025, costPerOutputToken: 0.00001, costPerCachedInputToken: 0.00000125 };
    const res = await s.post(url, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ ...body, global: false, tags: [], version: 1, isRestricted: false });
    expect((await s.get(`${url}/gpt-cached`)).body.costPerCachedInputToken).toBe(0.00000125);
    expect((await s.get(url)).body.find((m: { key: string }) => m.key === 'gpt-cached')).toEqual(res.body);
    const negative = await s.post(url, { ...body, key: 'gpt-negative', costPerCachedInputToken: -1 });
    expect(negative.status).toBe(400);
    expect(negative.body.message).toContain('costPerCachedInputToken');
  });

  it('a global model config reads the same in every project', async () => {
    const res = await s.get(`${url}/Anthropic.claude-3-5-sonnet-latest`);
    expect(res.body).toEqual({
      key: 'Anthropic.claude-3-5-sonnet-latest',
      name: 'Claude 3.5 Sonnet',
      id: 'claude-3-5-sonnet-latest',
      provider: 'Anthropic',
      global: true,
      tags: [],
      version: 1,
      costPerInputToken: 0.000003,
      costPerOutputToken: 0.000015,
      isRestricted: false,
    });
  });

  it('deleted once no variation uses it: 204', async () => {
    expect((await s.post('/api/v2/projects/shop/ai-configs', { key: 'bot', name: 'Bot', defaultVariation: { key: 'v', name: 'V', messages: [], modelConfigKey: 'llama' } })).status).toBe(201);
    const refused = await s.del(`${url}/llama`);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('modelConfigKey: model config "llama" is used by AI Config "bot" (variation "v"); change those variations first');
    expect((await s.patch('/api/v2/projects/shop/ai-configs/bot/variations/v', { modelConfigKey: 'OpenAI.gpt-4o' })).status).toBe(200);
    expect((await s.del(`${url}/llama`)).status).toBe(204);
    expect((await s.get(`${url}/llama`)).status).toBe(404);
  });
});
