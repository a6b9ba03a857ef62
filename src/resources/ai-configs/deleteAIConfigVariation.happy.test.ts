// Deleting a variation: 204, every version gone, its value gone from the flag; targeting that served the variations
// after it still serves the same ones (their indexes move down with them).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const SEMANTIC_PATCH = { 'Content-Type': 'application/json; domain-model=launchdarkly.semanticpatch' };

describe('deleteAIConfigVariation', () => {
  let s: TestServer;
  const url = '/api/v2/projects/shop/ai-configs';
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'shop', name: 'Shop' })).status).toBe(201);
    expect((await s.post(url, { key: 'chat', name: 'Chat' })).status).toBe(201);
    for (const key of ['one', 'two', 'three']) expect((await s.post(`${url}/chat/variations`, { key, name: key, messages: [{ role: 'user', content: key }] })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('204; targeting keeps serving the variations after it', async () => {
    const ids = Object.fromEntries((await s.get(`${url}/chat`)).body.variations.map((v: { key: string; _id: string }) => [v.key, v._id]));
    const patched = await s.patch(
      `${url}/chat/targeting`,
      {
        environmentKey: 'production',
        instructions: [
          { kind: 'updateFallthroughVariationOrRollout', variationId: ids.three },
          { kind: 'addRule', clauses: [{ contextKind: 'user', attribute: 'tier', op: 'in', values: ['gold'] }], variationId: ids.one },
        ],
      },
      { headers: SEMANTIC_PATCH },
    );
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect((await s.del(`${url}/chat/variations/two`)).status).toBe(204);
    expect((await s.get(`${url}/chat/variations/two`)).status).toBe(404);
    const targeting = (await s.get(`${url}/chat/targeting`)).body;
    expect(targeting.variations.map((v: { _id: string }) => v._id).slice(1)).toEqual([ids.one, ids.three]);
    expect(targeting.environments.production.fallthrough).toEqual({ variation: 2 });
    expect(targeting.environments.production.rules[0].variation).toBe(1);
    expect((await s.get(`${url}/chat`)).body.variations.map((v: { key: string }) => v.key)).toEqual(['one', 'three']);
  });
});
