// Concurrency: two segments each made to match on the other at once. Together they would be a cycle, which SDKs cannot
// evaluate: one patch is taken and the other refused (400), as if they had come one after the other. The PostgreSQL
// run is the one that races.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

const ROUNDS = 20;

describe('patchSegment races', () => {
  let s: TestServer;
  const segments = '/api/v2/segments/shop/production';
  const match = (key: string) => [{ op: 'add', path: '/rules/-', value: { clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: [key], negate: false }] } }];

  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('two segments made to match on each other at once: one is taken, the other is the 400 of a cycle; no cycle is left', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const [a, b] = [`a-${round}`, `b-${round}`];
      for (const key of [a, b]) expect((await s.post(segments, { name: key, key })).status).toBe(201);
      const results = await Promise.all([s.patch(`${segments}/${a}`, match(b)), s.patch(`${segments}/${b}`, match(a))]);
      expect(results.map((r) => r.status).sort(), JSON.stringify(results.map((r) => r.body))).toEqual([200, 400]);
      const refused = results.find((r) => r.status === 400)!;
      expect(refused.body.errors).toEqual([{ attribute: 'rules[0].clauses[0].values[0]', reason: expect.stringContaining('would make a cycle of segments') }]);
      const [winner, loser] = results[0].status === 200 ? [a, b] : [b, a];
      expect((await s.get(`${segments}/${winner}`)).body.rules).toHaveLength(1);
      expect((await s.get(`${segments}/${loser}`)).body.rules).toEqual([]);
      // Both can still be changed.
      for (const key of [a, b]) expect((await s.patch(`${segments}/${key}`, [{ op: 'replace', path: '/description', value: 'still editable' }])).status).toBe(200);
    }
  });
});
