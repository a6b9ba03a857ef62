import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getContextInstanceSegmentsMembershipByEnv: errors', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/production/segments/evaluate';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('400 naming what is wrong with the context', async () => {
    for (const [body, attribute] of [
      [[{ key: 'a' }], 'body'],
      [{ kind: 'user' }, 'key'],
      [{ kind: 'user', key: '' }, 'key'],
      [{ kind: 'user', key: 7 }, 'key'],
      [{ kind: 'not a kind', key: 'a' }, 'kind'],
      [{ kind: 'multi' }, 'body'],
      [{ kind: 'multi', user: { key: 'a' }, org: { name: 'no key' } }, 'org.key'],
      [{ kind: 'multi', user: 'a' }, 'user'],
    ] as const) {
      const res = await s.post(path, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toEqual([attribute]);
    }
  });

  it('404 for an unknown project or environment', async () => {
    for (const bad of ['/api/v2/projects/nope/environments/production/segments/evaluate', '/api/v2/projects/shop/environments/nope/segments/evaluate']) {
      const res = await s.post(bad, { kind: 'user', key: 'a' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });

  it('an environment without segments answers no items', async () => {
    const res = await s.post(path, { kind: 'user', key: 'a' });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([]);
  });
});
