// searchContexts: bad parameters are 400s naming the parameter; an unknown project or environment a 404.
import { describe, expect, it } from 'vitest';
import { expectUnknownProjectAndEnvironment, seededServer } from '../../../test/support/contexts.js';

describe('searchContexts: errors', () => {
  const world = seededServer();

  it('400 naming the parameter and the problem', async () => {
    const cases: [Record<string, unknown>, string, string, RegExp][] = [
      [{ filter: 'user. equals red' }, '', 'filter', /unknown filter field "user."/],
      [{ filter: '"" equals red' }, '', 'filter', /a field name must not be empty/],
      [{ filter: '"user.\\x" equals red' }, '', 'filter', /the field "user.\\x" is not a JSON string/],
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
      const res = await world.s.post(`${world.base}/contexts/search${query}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.message).toMatch(message);
      expect(res.body.errors?.[0]?.attribute ?? attribute).toBe(attribute);
    }
    const array = await world.s.post(`${world.base}/contexts/search`, []);
    expect(array.status).toBe(400);
    expect(array.body.message).toMatch(/body: must be an object/);
    // A JSON null is a body, and not an object (no body at all is a search of everything).
    const nothing = await world.s.request('POST', `${world.base}/contexts/search`, { raw: 'null', headers: { 'Content-Type': 'application/json' } });
    expect(nothing.status).toBe(400);
    expect(nothing.body.message).toMatch(/body: must be an object/);
  });

  it('hostile filters and parameters are 400s (a long run of spaces is only spaces)', async () => {
    const spaced = await world.s.post(`${world.base}/contexts/search`, { filter: `kind equals ${' '.repeat(8_000)}org` });
    expect(spaced.status).toBe(200);
    expect(spaced.body.totalCount).toBe(2);
    // An attribute of an object's prototype is no attribute.
    const inherited = await world.s.post(`${world.base}/contexts/search`, { filter: 'toString exists true' });
    expect(inherited.status).toBe(200);
    expect(inherited.body.items).toEqual([]);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ filter: 'x'.repeat(9_000) }, /at most 8192/],
      [{ filter: `${'('.repeat(40)}kind equals user${')'.repeat(40)}` }, /nest more than 32/],
      [{ sort: { toString: 1 } }, /body.sort: must be ts/],
      [{ limit: { toString: 1 } }, /body.limit: must be an integer/],
      [{ continuationToken: 7 }, /not a continuation token/],
    ];
    for (const [body, message] of cases) {
      const res = await world.s.post(`${world.base}/contexts/search`, body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.message).toMatch(message);
    }
  });

  it('a limit above 50 gives 50', async () => {
    const res = await world.s.post(`${world.base}/contexts/search`, { limit: 500 });
    expect(res.status).toBe(200);
    expect(res.body._links.self.href).toContain('limit=50');
  });

  it('404 for an unknown project or environment', async () => {
    await expectUnknownProjectAndEnvironment(world.s, 'POST', 'contexts/search');
  });
});
