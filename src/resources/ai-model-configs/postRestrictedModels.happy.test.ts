// The restricted list: model configs (the project's and global ones) restricted by key and shown so, listed with
// `restricted=true`; a restricted model cannot be newly chosen for a variation (one already on it keeps it); lifted
// again with deleteRestrictedModels.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postRestrictedModels, deleteRestrictedModels', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs/model-configs';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(url, { key: 'house', name: 'House model', id: 'house-1' })).status).toBe(200);
    expect((await s.post('/api/v2/projects/shop/ai-configs', { key: 'bot', name: 'Bot', defaultVariation: { key: 'v', name: 'V', messages: [], modelConfigKey: 'house' } })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('restrict: successes, and an error for each key that names no model config', async () => {
    const res = await s.post(`${url}/restricted`, { keys: ['house', 'OpenAI.gpt-4o', 'nope'] });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ successes: ['house', 'OpenAI.gpt-4o'], errors: [{ key: 'nope', message: 'Model config "nope" in project "shop" not found', code: 404 }] });
    expect((await s.get(`${url}/house`)).body.isRestricted).toBe(true);
    expect((await s.get(`${url}?restricted=true`)).body.map((m: { key: string }) => m.key)).toEqual(['house', 'OpenAI.gpt-4o']);
    expect((await s.get(`${url}?restricted=false`)).body.map((m: { key: string }) => m.key)).not.toContain('house');
    // Restricting again is no change.
    expect((await s.post(`${url}/restricted`, { keys: ['house'] })).body).toEqual({ successes: ['house'], errors: [] });
  });

  it('a restricted model is not newly chosen; a variation on it keeps it', async () => {
    const refused = await s.post('/api/v2/projects/shop/ai-configs/bot/variations', { key: 'w', name: 'W', messages: [], modelConfigKey: 'OpenAI.gpt-4o' });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toBe('modelConfigKey: model config "OpenAI.gpt-4o" is restricted in this project');
    expect((await s.patch('/api/v2/projects/shop/ai-configs/bot/variations/v', { name: 'V2' })).status).toBe(200);
  });

  it('lift: 204, no longer restricted', async () => {
    expect((await s.request('DELETE', `${url}/restricted`, { body: { keys: ['house', 'OpenAI.gpt-4o'] } })).status).toBe(204);
    expect((await s.get(`${url}?restricted=true`)).body).toEqual([]);
    expect((await s.post('/api/v2/projects/shop/ai-configs/bot/variations', { key: 'w', name: 'W', messages: [], modelConfigKey: 'OpenAI.gpt-4o' })).status).toBe(201);
  });

  it('concurrent lifts of one restriction: each 204, and the lift is audited once', async () => {
    const lifts = async () => (await s.store.db.selectFrom('audit_log').select('doc').execute()).filter((e) => e.doc.includes('lifted the restriction of the model config House model')).length;
    // A few rounds: the lifts interleave differently each time.
    for (let round = 0; round < 5; round++) {
      await s.post(`${url}/restricted`, { keys: ['house'] });
      const before = await lifts();
      const results = await Promise.all(Array.from({ length: 6 }, () => s.request('DELETE', `${url}/restricted`, { body: { keys: ['house'] } })));
      expect(results.map((r) => r.status)).toEqual([204, 204, 204, 204, 204, 204]);
      expect(await lifts()).toBe(before + 1);
    }
  });
});
