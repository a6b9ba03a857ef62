import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteSegment: happy path', () => {
  let s: TestServer;
  const base = '/api/v2/segments/shop/production';
  const matchOn = (segmentKey: string) => ({ variation: 0, clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: [segmentKey] }] });
  /** A flag whose targeting in `environmentKey` has one rule matching on the segment. */
  const flagUsing = async (flagKey: string, segmentKey: string, environmentKey = 'production') => {
    expect((await s.post('/api/v2/flags/shop', { name: flagKey, key: flagKey })).status).toBe(201);
    const res = await s.patch(`/api/v2/flags/shop/${flagKey}`, [{ op: 'add', path: `/environments/${environmentKey}/rules/-`, value: matchOn(segmentKey) }]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  };

  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('204, then the segment is gone from GET and from the list, and the deletion is audited', async () => {
    await s.post(base, { name: 'Old', key: 'old', tags: ['t'] });
    const res = await s.del(`${base}/old`);
    expect(res.status).toBe(204);
    expect(res.body).toBe('');
    expect((await s.get(`${base}/old`)).status).toBe(404);
    expect((await s.get(base)).body.items).toEqual([]);
    const entry = await s.store.db
      .selectFrom('audit_log')
      .select(['doc', 'kind', 'project_key'])
      .where('resource', '=', 'proj/shop:env/production:segment/old')
      .orderBy('date', 'desc')
      .executeTakeFirstOrThrow();
    expect(entry.kind).toBe('segment');
    expect(entry.project_key).toBe('shop');
    const doc = JSON.parse(entry.doc);
    expect(doc.action).toBe('deleteSegment');
    expect(doc.before).toMatchObject({ name: 'Old', tags: ['t'] });
    expect(doc.before).not.toHaveProperty('salt');
  });

  it('the key can be used again after a delete, starting over at version 1', async () => {
    await s.post(base, { name: 'Again', key: 'again' });
    await s.patch(`${base}/again`, [{ op: 'replace', path: '/name', value: 'Again 2' }]);
    expect((await s.del(`${base}/again`)).status).toBe(204);
    const res = await s.post(base, { name: 'Again', key: 'again' });
    expect(res.status).toBe(201);
    expect(res.body.version).toBe(1);
  });

  it("409 while a flag's targeting matches on it, 204 once the rule is removed", async () => {
    await s.post(base, { name: 'Staff', key: 'staff' });
    await flagUsing('staff-only', 'staff');
    expect((await s.del(`${base}/staff`)).status).toBe(409);
    expect((await s.get(`${base}/staff`)).status).toBe(200);
    expect((await s.patch('/api/v2/flags/shop/staff-only', [{ op: 'remove', path: '/environments/production/rules/0' }])).status).toBe(200);
    expect((await s.del(`${base}/staff`)).status).toBe(204);
    expect((await s.get(`${base}/staff`)).status).toBe(404);
  });

  it('204 once the flag that used it is deleted', async () => {
    await s.post(base, { name: 'Short', key: 'short' });
    await flagUsing('short-flag', 'short');
    expect((await s.del(`${base}/short`)).status).toBe(409);
    expect((await s.del('/api/v2/flags/shop/short-flag')).status).toBe(204);
    expect((await s.del(`${base}/short`)).status).toBe(204);
  });

  it("a flag's rule in the other environment does not hold this environment's segment", async () => {
    await s.post(base, { name: 'Geo', key: 'geo' });
    await s.post('/api/v2/segments/shop/test', { name: 'Geo (test)', key: 'geo' });
    await flagUsing('geo-flag', 'geo', 'test');
    expect((await s.del(`${base}/geo`)).status).toBe(204);
    expect((await s.del('/api/v2/segments/shop/test/geo')).status).toBe(409);
  });

  it("deletes only that environment's segment: the same key in the other environment stays", async () => {
    await s.post(base, { name: 'Twin', key: 'twin' });
    await s.post('/api/v2/segments/shop/test', { name: 'Twin (test)', key: 'twin' });
    expect((await s.del(`${base}/twin`)).status).toBe(204);
    expect((await s.get('/api/v2/segments/shop/test/twin')).body.name).toBe('Twin (test)');
  });
});
