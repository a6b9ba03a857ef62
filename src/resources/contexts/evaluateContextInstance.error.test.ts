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
    await refused('', { kind: 'user', key: '' }, 'key');
    // A legacy user (no kind) needs a key too, a string, though it may be empty (the next test).
    await refused('', { name: 'Ada' }, 'key');
    await refused('', { key: 7 }, 'key');
    await refused('', 'ada', 'body');
    await refused('?limit=-2', { kind: 'user', key: 'a' }, 'limit');
    await refused('?limit=two', { kind: 'user', key: 'a' }, 'limit');
    await refused('?offset=-1', { kind: 'user', key: 'a' }, 'offset');
    await refused('?sort=created', { kind: 'user', key: 'a' }, 'sort');
    await refused('?filter=kind%20equals%20x', { kind: 'user', key: 'a' }, 'filter');
  });

  it("a legacy user's empty key is a key, as LaunchDarkly reads the old user format; a context with a kind needs a non-empty one", async () => {
    await s.post('/api/v2/projects', { name: 'Legacy', key: 'legacy' });
    await s.post('/api/v2/flags/legacy', { key: 'legacy-empty', name: 'Legacy empty' });
    const res = await s.post('/api/v2/projects/legacy/environments/production/flags/evaluate', { key: '', name: 'Nobody' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.find((i: { key: string }) => i.key === 'legacy-empty')).toMatchObject({ _value: false, reason: { kind: 'OFF' } });
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
