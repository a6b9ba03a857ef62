// Bad input to the model config operations: a 400 naming the field and its problem, a 404 naming what is missing,
// a 409 for a key taken (a global one's too); never a partial write.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unchangedBy, expectRefused } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('model configs: errors', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs/model-configs';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(url, { key: 'house', name: 'House', id: 'house-1' })).status).toBe(200);
  });
  afterAll(() => s.close());

  const unchanged = (send: () => Promise<Response>) => unchangedBy(s.store, send);
  const expectInvalid = (send: () => Promise<Response>, message: string) => expectRefused(s.store, send, 400, 'invalid_request', message);

  it('404s name the missing project or model config', async () => {
    const missing: [() => Promise<Response>, string][] = [
      [() => s.get('/api/v2/projects/nope/ai-configs/model-configs'), 'Project "nope" not found'],
      [() => s.post('/api/v2/projects/nope/ai-configs/model-configs', { key: 'k', name: 'K', id: 'i' }), 'Project "nope" not found'],
      [() => s.get(`${url}/nope`), 'Model config "nope" in project "shop" not found'],
      [() => s.del(`${url}/nope`), 'Model config "nope" in project "shop" not found'],
      [() => s.request('DELETE', `${url}/restricted`, { body: { keys: ['house', 'nope'] } }), 'Model config "nope" in project "shop" not found'],
    ];
    for (const [send, message] of missing) {
      const res = await unchanged(send);
      expect(res.status, message).toBe(404);
      expect(res.body).toEqual({ code: 'not_found', message });
    }
  });

  it('postModelConfig: every bad field named; a key taken is a 409', async () => {
    await expectInvalid(() => s.post(url, { key: 'k', name: 'K' }), 'id: must be present');
    await expectInvalid(() => s.post(url, { key: 'restricted', name: 'K', id: 'i' }), 'key: "restricted" is a path segment of the model configs\' routes; choose another key');
    await expectInvalid(() => s.post(url, { key: 'k', name: 'K', id: 'i', costPerInputToken: -1 }), 'costPerInputToken: must be >= 0');
    await expectInvalid(() => s.post(url, { key: 'k', name: 'K', id: 'i', params: [1] }), 'params: must be an object');
    await expectInvalid(() => s.post(url, { key: 'k', name: 'K', id: 'i', global: true }), 'global: is not allowed');
    for (const [key, message] of [
      ['house', 'A model config with key "house" already exists in project "shop"'],
      ['OpenAI.gpt-4o', 'A model config with key "OpenAI.gpt-4o" already exists in project "shop" (a global one)'],
    ]) {
      const res = await unchanged(() => s.post(url, { key, name: 'Again', id: 'x' }));
      expect(res.status).toBe(409);
      expect(res.body).toEqual({ code: 'conflict', message });
    }
  });

  it('global model configs cannot be deleted; the restricted list takes keys; restricted is a boolean', async () => {
    await expectInvalid(() => s.del(`${url}/OpenAI.gpt-4o`), 'modelConfigKey: "OpenAI.gpt-4o" is a global model config; global model configs cannot be deleted (restrict it instead)');
    await expectInvalid(() => s.post(`${url}/restricted`, { keys: [] }), 'keys: must have at least 1 item(s)');
    await expectInvalid(() => s.post(`${url}/restricted`, {}), 'keys: must be present');
    await expectInvalid(() => s.get(`${url}?restricted=maybe`), 'restricted: must be true or false, not "maybe"');
  });
});
