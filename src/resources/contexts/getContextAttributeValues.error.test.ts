// getContextAttributeValues: errors — a filter this operation does not take is a 400 naming it; an unknown project or environment a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, seedContexts } from '../../../test/support/contexts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getContextAttributeValues: errors', () => {
  let s: TestServer;
  let base: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ({ base } = await seedContexts(s));
  });
  afterAll(() => s.close());

  it('400 for a filter this operation does not take, naming the filter', async () => {
    const res = await s.get(`${base}/context-attributes/country?filter=${encodeURIComponent('value equals NZ')}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toMatch(/^filter: /);
    const limit = await s.get(`${base}/context-attributes/country?limit=-1`);
    expect(limit.status).toBe(400);
    expect(limit.body.code).toBe('invalid_request');
  });

  it('404 for an unknown project or environment', async () => {
    for (const p of ['/api/v2/projects/nope/environments/production/context-attributes/country', '/api/v2/projects/shop/environments/nope/context-attributes/country']) {
      const res = await s.get(p);
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });
});
