// searchContexts: bad parameters are 400s naming the parameter; an unknown project or environment a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOW, seedContexts } from '../../../test/support/contexts.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('searchContexts: errors', () => {
  let s: TestServer;
  let base: string;
  beforeAll(async () => {
    s = await startServer({ now: () => NOW });
    ({ base } = await seedContexts(s));
  });
  afterAll(() => s.close());

  it('400 naming the parameter and the problem', async () => {
    const cases: [Record<string, unknown>, string, string, RegExp][] = [
      [{ filter: 'colour equals red' }, '', 'filter', /unknown filter field "colour"/],
      [{ filter: 'key before 3' }, '', 'filter', /the field "key" takes the operator .* not "before"/],
      [{ filter: 'kind equals' }, '', 'filter', /no value after the operator/],
      [{ filter: 'kind:{"equals": ["a"], "anyOf": ["b"]}' }, '', 'filter', /must name one operator/],
      [{ filter: 'kind equals "user' }, '', 'filter', /unterminated quote/],
      [{ filter: 7 }, '', 'body.filter', /must be a string/],
      [{ sort: 'name' }, '', 'body.sort', /must be ts .* or -ts/],
      [{ limit: 0 }, '', 'body.limit', /integer from 1 to 50/],
      [{}, '?limit=many', 'limit', /integer from 1 to 50/],
      [{ continuationToken: 'not-ours' }, '', 'body.continuationToken', /not a continuation token/],
      [{ filter: 'kind equals user' }, '?filter=kind%20equals%20org', 'filter', /in the query or in the body, not both/],
      [{}, '?includeTotalCount=maybe', 'includeTotalCount', /true or false/],
    ];
    for (const [body, query, attribute, message] of cases) {
      const res = await s.post(`${base}/contexts/search${query}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toMatch(message);
      expect(res.body.errors?.[0]?.attribute ?? attribute).toBe(attribute);
    }
    const array = await s.post(`${base}/contexts/search`, []);
    expect(array.status).toBe(400);
    expect(array.body.message).toMatch(/body: must be an object/);
  });

  it('a limit above 50 gives 50', async () => {
    const res = await s.post(`${base}/contexts/search`, { limit: 500 });
    expect(res.status).toBe(200);
    expect(res.body._links.self.href).toContain('limit=50');
  });

  it('404 for an unknown project or environment', async () => {
    for (const path of ['/api/v2/projects/nope/environments/production/contexts/search', '/api/v2/projects/shop/environments/nope/contexts/search']) {
      const res = await s.post(path, {});
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });
});
