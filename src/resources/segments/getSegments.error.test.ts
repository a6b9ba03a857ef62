import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getSegments: errors', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post(path, { name: 'Beta', key: 'beta', tags: ['beta'] });
  });
  afterAll(() => s.close());

  async function rejects(query: string, attribute: string, reason: string) {
    const res = await s.get(`${path}?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toEqual({ code: 'invalid_request', message: `${attribute}: ${reason}`, errors: [{ attribute, reason }] });
  }
  const filter = (text: string) => `filter=${encodeURIComponent(text)}`;

  it('400 naming a filter field segments cannot be filtered by, listing the ones they can', async () => {
    await rejects(filter('name equals "x"'), 'filter', 'unknown filter field "name"; use one of excludedKeys, includedKeys, external, query, tags, unbounded, view');
    await rejects(filter('tags anyOf ["beta"],kind equals "x"'), 'filter', 'unknown filter field "kind"; use one of excludedKeys, includedKeys, external, query, tags, unbounded, view');
  });

  it('400 naming a field and the operator it does not take', async () => {
    await rejects(filter('tags equals "beta"'), 'filter', 'the field "tags" takes the operator anyOf, not "equals"');
    await rejects(filter('query anyOf ["x"]'), 'filter', 'the field "query" takes the operator equals, not "anyOf"');
    await rejects(filter('external equals true'), 'filter', 'the field "external" takes the operator exists, not "equals"');
    await rejects(filter('includedKeys equals "beta"|tags anyOf ["beta"]'), 'filter', 'the field "includedKeys" takes the operator anyOf, not "equals"');
  });

  it('400 for a boolean field given something other than true or false', async () => {
    await rejects(filter('unbounded equals maybe'), 'filter', 'the field "unbounded" takes true or false, not "maybe"');
    await rejects(filter('(tags anyOf ["beta"]|external exists sometimes)'), 'filter', 'the field "external" takes true or false, not "sometimes"');
  });

  it('400 for a filter that does not parse', async () => {
    await rejects(filter('(tags anyOf ["beta"]'), 'filter', 'unbalanced brackets or parentheses in "(tags anyOf ["beta"]"');
    await rejects(filter('tags anyOf'), 'filter', '"tags anyOf" has no value after the operator');
    await rejects(filter('tags'), 'filter', '"tags" is not of the form field operator value (e.g. tags anyOf ["a","b"])');
    await rejects(filter('query equals "x'), 'filter', 'unterminated quote in "query equals "x"');
  });

  it('400 naming sort when it names a field segments cannot be sorted by', async () => {
    const reason = (field: string) => `cannot sort by "${field}"; use creationDate, name, lastModified, key (prefix - for descending, comma-separated)`;
    await rejects('sort=tags', 'sort', reason('tags'));
    await rejects('sort=name,-bogus', 'sort', reason('bogus'));
  });

  it('400 naming limit or offset when they are not usable numbers', async () => {
    await rejects('limit=0', 'limit', 'must be >= 1');
    await rejects('limit=abc', 'limit', 'must be an integer');
    await rejects('offset=-1', 'offset', 'must be >= 0');
  });

  it('404 naming the project or the environment that does not exist', async () => {
    const project = await s.get('/api/v2/segments/nope/production');
    expect(project.status).toBe(404);
    expect(project.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    const environment = await s.get('/api/v2/segments/shop/staging');
    expect(environment.status).toBe(404);
    expect(environment.body).toEqual({ code: 'not_found', message: 'Environment "staging" in project "shop" not found' });
  });
});
