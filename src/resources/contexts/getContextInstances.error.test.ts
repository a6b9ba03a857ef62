// getContextInstances: errors — a filter this operation does not take is a 400 naming it; an unknown project or environment a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, seedContexts } from '../../../test/support/contexts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getContextInstances: errors', () => {
  let s: TestServer;
  let base: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ({ base } = await seedContexts(s));
  });
  afterAll(() => s.close());

  it('400 for a filter this operation does not take, naming the filter', async () => {
    const res = await s.get(`${base}/context-instances/c2FuZHk?filter=${encodeURIComponent('kinds anyOf ["user"]')}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toMatch(/^filter: /);
    // Sorting and paging are checked as the searches check them.
    const sort = await s.get(`${base}/context-instances/c2FuZHk?sort=name`);
    expect(sort.status).toBe(400);
    expect(sort.body.message).toMatch(/sort: must be ts/);
  });

  it('404 for an unknown project or environment', async () => {
    for (const p of ['/api/v2/projects/nope/environments/production/context-instances/c2FuZHk', '/api/v2/projects/shop/environments/nope/context-instances/c2FuZHk']) {
      const res = await s.get(p);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });
});
