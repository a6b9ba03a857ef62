// GET /api/v2/tags refused: an unknown kind, a non-boolean archived, a bad page or asOf are 400s naming the
// parameter, in LaunchDarkly's error shape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getTags errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('400 naming the parameter', async () => {
    for (const [query, name] of [
      ['kind=experiment', 'kind'],
      ['kind=flag&kind=nope', 'kind'],
      ['archived=maybe', 'archived'],
      ['limit=0', 'limit'],
      ['limit=ten', 'limit'],
      ['offset=-1', 'offset'],
      ['asOf=yesterday', 'asOf'],
    ]) {
      const res = await s.get(`/api/v2/tags?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code, query).toBe('invalid_request');
      expect(res.body.message, query).toContain(name);
    }
  });

  it('a limit above 1,000 is read as 1,000', async () => {
    const res = await s.get('/api/v2/tags?limit=5000');
    expect(res.status).toBe(200);
    expect(res.body._links.self.href).toBe('/api/v2/tags?limit=1000&offset=0');
  });
});
