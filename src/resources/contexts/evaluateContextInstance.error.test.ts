import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('evaluateContextInstance: errors', () => {
  let s: TestServer;
  const path = '/api/v2/projects/shop/environments/production/flags/evaluate';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  async function refused(query: string, body: unknown, attribute: string) {
    const res = await s.post(`${path}${query}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors.map((e: { attribute: string }) => e.attribute)).toEqual([attribute]);
  }

  it('400 naming what is wrong: the context, limit, offset, sort or filter', async () => {
    await refused('', { kind: 'user' }, 'key');
    await refused('', 'ada', 'body');
    await refused('?limit=-2', { kind: 'user', key: 'a' }, 'limit');
    await refused('?limit=two', { kind: 'user', key: 'a' }, 'limit');
    await refused('?offset=-1', { kind: 'user', key: 'a' }, 'offset');
    await refused('?sort=created', { kind: 'user', key: 'a' }, 'sort');
    await refused('?filter=kind%20equals%20x', { kind: 'user', key: 'a' }, 'filter');
  });

  it('404 for an unknown project or environment', async () => {
    for (const bad of ['/api/v2/projects/nope/environments/production/flags/evaluate', '/api/v2/projects/shop/environments/nope/flags/evaluate']) {
      const res = await s.post(bad, { kind: 'user', key: 'a' });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });

  it('archived flags are left out, as SDKs do not get them', async () => {
    await s.post('/api/v2/flags/shop', { key: 'old', name: 'Old' });
    await s.post('/api/v2/flags/shop', { key: 'live', name: 'Live' });
    await s.patch('/api/v2/flags/shop/old', [{ op: 'replace', path: '/archived', value: true }]);
    const res = await s.post(path, { kind: 'user', key: 'a' });
    expect(res.body.items.map((item: { key: string }) => item.key)).toEqual(['live']);
  });
});
