// searchContextInstances: errors — a filter this operation does not take is a 400 naming it; an unknown project or environment a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, seedContexts } from '../../../test/support/contexts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('searchContextInstances: errors', () => {
  let s: TestServer;
  let base: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ({ base } = await seedContexts(s));
  });
  afterAll(() => s.close());

  it('400 for a filter this operation does not take, naming the filter', async () => {
    const res = await s.post(`${base}/context-instances/search`, { filter: 'kind equals user' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toMatch(/^filter: /);
    const both = await s.post(`${base}/context-instances/search?sort=ts`, { sort: '-ts' });
    expect(both.status).toBe(400);
    expect(both.body.message).toMatch(/sort: give it in the query or in the body, not both/);
  });

  it('404 for an unknown project or environment', async () => {
    for (const p of ['/api/v2/projects/nope/environments/production/context-instances/search', '/api/v2/projects/shop/environments/nope/context-instances/search']) {
      const res = await s.post(p, {});
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });
});
