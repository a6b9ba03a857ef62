// Adding variations, as LaunchDarkly's docs show them (`model` with `modelName` and `parameters`) and with a model
// config: 201 with the AIConfigVariation, version 1, published; the config's version moves on; the variation's value
// joins the flag after the ones before it, as the AI SDK reads it; getAIConfigVariation lists its one version.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postAIConfigVariation, getAIConfigVariation', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(url, { key: 'chat', name: 'Chat' })).status).toBe(201);
    expect((await s.post(`${url}/model-configs`, { key: 'claude', name: 'Claude', id: 'claude-3-opus-20240229', provider: 'Anthropic', params: { max_tokens: 512 }, customParams: { region: 'eu' } })).status).toBe(200);
  });
  afterAll(() => s.close());

  it('201 with the variation; its value joins the flag', async () => {
    const body = {
      key: 'opus',
      name: 'Opus',
      comment: 'first try',
      messages: [
        { role: 'system', content: 'You are {{persona}}.' },
        { role: 'user', content: 'Hello' },
      ],
      model: { modelName: 'claude-3-opus-20240229', parameters: { max_tokens: 1024 } },
      modelConfigKey: 'claude',
    };
    const res = await s.post(`${url}/chat/variations`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      _links: { parent: { href: `${url}/chat`, type: 'application/json' } },
      key: 'opus',
      _id: expect.any(String),
      name: 'Opus',
      comment: 'first try',
      messages: body.messages,
      model: body.model,
      modelConfigKey: 'claude',
      createdAt: expect.any(Number),
      version: 1,
      state: 'published',
      _publishedAt: res.body.createdAt,
    });
    expect((await s.get(`${url}/chat/variations/opus`)).body).toEqual({ items: [res.body], totalCount: 1 });
    const config = (await s.get(`${url}/chat`)).body;
    expect(config).toMatchObject({ version: 2, variations: [res.body] });

    const targeting = (await s.get(`${url}/chat/targeting`)).body;
    expect(targeting.variations[1]).toEqual({
      _id: res.body._id,
      name: 'Opus',
      description: '',
      value: {
        _ldMeta: { enabled: true, variationKey: 'opus', version: 1, mode: 'completion' },
        // The variation's parameters over its model config's; the model config's custom parameters and provider.
        model: { name: 'claude-3-opus-20240229', parameters: { max_tokens: 1024 }, custom: { region: 'eu' } },
        provider: { name: 'Anthropic' },
        messages: body.messages,
      },
    });
  });

  it('a model config alone names the model; a global one does too; a second variation comes after the first', async () => {
    const res = await s.post(`${url}/chat/variations`, { key: 'mini', name: 'Mini', messages: [], modelConfigKey: 'OpenAI.gpt-4o-mini' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.model).toEqual({});
    const targeting = (await s.get(`${url}/chat/targeting`)).body;
    expect(targeting.variations.map((v: { name: string }) => v.name)).toEqual(['disabled', 'Opus', 'Mini']);
    expect(targeting.variations[2].value).toEqual({
      _ldMeta: { enabled: true, variationKey: 'mini', version: 1, mode: 'completion' },
      model: { name: 'gpt-4o-mini', parameters: {} },
      provider: { name: 'OpenAI' },
      messages: [],
    });
  });

  it('judges attached to a variation are served by key, with their sampling rates', async () => {
    expect((await s.post(url, { key: 'judge', name: 'Judge', mode: 'judge', evaluationMetricKey: '$ld:ai:judge:accuracy' })).status).toBe(201);
    const res = await s.post(`${url}/chat/variations`, { key: 'judged', name: 'Judged', messages: [{ role: 'user', content: 'q' }], judgeConfiguration: { judges: [{ judgeConfigKey: 'judge', samplingRate: 0.25 }] } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.judgeConfiguration).toEqual({ judges: [{ judgeConfigKey: 'judge', samplingRate: 0.25 }] });
    const served = (await s.get(`${url}/chat/targeting`)).body.variations[3].value;
    expect(served.judgeConfiguration).toEqual({ judges: [{ key: 'judge', samplingRate: 0.25 }] });
    expect(served.model).toBeUndefined();
  });

  it('outputFormat (2026-07): the JSON Schema kept as sent and shown; the served value has no place for it', async () => {
    const outputFormat = { type: 'object', properties: { answer: { type: 'string' }, confidence: { type: 'number' } }, required: ['answer'], additionalProperties: false };
    const res = await s.post(`${url}/chat/variations`, { key: 'structured', name: 'Structured', messages: [{ role: 'user', content: 'q' }], outputFormat });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.outputFormat).toEqual(outputFormat);
    expect((await s.get(`${url}/chat/variations/structured`)).body.items[0].outputFormat).toEqual(outputFormat);
    expect((await s.get(`${url}/chat`)).body.variations.find((v: { key: string }) => v.key === 'structured').outputFormat).toEqual(outputFormat);
    // LaunchDarkly's AI SDK reads no output format from the flag's value (_ldMeta, model, provider, messages, judges).
    const served = (await s.get(`${url}/chat/targeting`)).body.variations.find((v: { name: string }) => v.name === 'Structured').value;
    expect(served.outputFormat).toBeUndefined();
    const refused = await s.post(`${url}/chat/variations`, { key: 'bad', name: 'Bad', messages: [], outputFormat: 'json' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('outputFormat');
    // Checked against JSON Schema's meta-schema: a type JSON Schema does not have is refused, and nothing is made.
    const notSchema = await s.post(`${url}/chat/variations`, { key: 'bad', name: 'Bad', messages: [], outputFormat: { type: 'text' } });
    expect(notSchema.status).toBe(400);
    expect(notSchema.body).toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/^outputFormat: is not a JSON Schema: \/type /) });
    expect((await s.get(`${url}/chat/variations/bad`)).status).toBe(404);
  });

  it('toolKeys pins each tool at its newest version, after the tools named with a version; tools must exist at that version', async () => {
    const tools = '/api/v2/projects/shop/ai-tools';
    for (const key of ['search', 'refund']) expect((await s.post(tools, { key, description: `The ${key} tool`, schema: { type: 'object', properties: {} } })).status).toBe(201);
    expect((await s.patch(`${tools}/search`, { description: 'Search the catalog' })).body.version).toBe(2);
    const res = await s.post(`${url}/chat/variations`, { key: 'tooled', name: 'Tooled', tools: [{ key: 'refund', version: 1, customParameters: { max: 50 } }], toolKeys: ['search'] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.tools).toEqual([
      { key: 'refund', version: 1, customParameters: { max: 50 } },
      { key: 'search', version: 2 },
    ]);
    // A patch's toolKeys names the variation's tools anew, each at its newest version.
    const patched = await s.patch(`${url}/chat/variations/tooled`, { toolKeys: ['refund'] });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body.tools).toEqual([{ key: 'refund', version: 1 }]);
    expect((await s.get(`${tools}/search/references`)).body).toMatchObject({ items: [], totalCount: 0 });
    expect((await s.get(`${tools}/refund/references`)).body.items).toEqual([expect.objectContaining({ variationKey: 'tooled', toolVersion: 1 })]);

    const refused = async (body: unknown, message: string) => {
      const bad = await s.post(`${url}/chat/variations`, { key: 'bad', name: 'Bad', ...(body as object) });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ code: 'invalid_request', message });
    };
    await refused({ tools: [{ key: 'search', version: 3 }] }, 'tools[0].version: AI tool "search" has no version 3 (its newest is 2)');
    await refused({ tools: [{ key: 'search', version: 1 }, { key: 'search', version: 2 }] }, 'tools[1].key: names tool "search" more than once');
    await refused({ tools: [{ key: 'search', version: 1 }], toolKeys: ['search'] }, 'toolKeys[0]: tool "search" is already named in tools');
    // A tool deleted since a variation pinned it stays pinned: the variation still saves.
    expect((await s.del(`${tools}/refund`)).status).toBe(204);
    expect((await s.patch(`${url}/chat/variations/tooled`, { name: 'Tooled again' })).status).toBe(200);
  });
});
