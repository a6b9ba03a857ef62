import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changedBy } from '../../../test/support/digest.js';
import { startServer, type Response, type TestServer } from '../../../test/support/server.js';

describe('deleteSegment: errors', () => {
  let s: TestServer;
  const base = '/api/v2/segments/shop/production';
  const matchOn = (segmentKeys: string[]) => ({ variation: 0, clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: segmentKeys }] });
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  it('404 naming the segment, its environment and project when there is no such segment', async () => {
    const res = await s.del(`${base}/nope`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Segment "nope" in environment "production" of project "shop" not found' });
  });

  it('404 naming the project or the environment that does not exist', async () => {
    await s.post(base, { name: 'Kept', key: 'kept' });
    const project = await s.del('/api/v2/segments/nope/production/kept');
    expect(project.status).toBe(404);
    expect(project.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    const environment = await s.del('/api/v2/segments/shop/staging/kept');
    expect(environment.status).toBe(404);
    expect(environment.body).toEqual({ code: 'not_found', message: 'Environment "staging" in project "shop" not found' });
    expect((await s.get(`${base}/kept`)).status).toBe(200);
  });

  it('404 the second time: a deleted segment is gone', async () => {
    await s.post(base, { name: 'Once', key: 'once' });
    expect((await s.del(`${base}/once`)).status).toBe(204);
    const again = await s.del(`${base}/once`);
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('not_found');
  });

  it("409 naming every flag whose targeting matches on it; the segment and the store are unchanged", async () => {
    await s.post(base, { name: 'Used', key: 'used' });
    await s.post(base, { name: 'Also', key: 'also' });
    for (const key of ['first-flag', 'second-flag']) {
      await s.post('/api/v2/flags/shop', { name: key, key });
      const res = await s.patch(`/api/v2/flags/shop/${key}`, [{ op: 'add', path: '/environments/production/rules/-', value: matchOn(['also', 'used']) }]);
      expect(res.status).toBe(200);
    }
    const before = (await s.get(`${base}/used`)).body;
    let res: Response | undefined;
    const changed = await changedBy(s.store, async () => {
      res = await s.del(`${base}/used`);
    });
    expect(res!.status).toBe(409);
    expect(res!.body).toEqual({
      code: 'conflict',
      message: 'Segment "used" is used by the targeting of flag "first-flag", "second-flag" in environment "production"; remove it from their rules before deleting it',
    });
    expect(changed).toBe(false);
    expect((await s.get(`${base}/used`)).body).toEqual(before);
  });

  it('409 for a segment named by a negated clause too', async () => {
    await s.post(base, { name: 'Negated', key: 'negated' });
    await s.post('/api/v2/flags/shop', { name: 'Not them', key: 'not-them' });
    const rule = { variation: 1, clauses: [{ attribute: 'segmentMatch', op: 'segmentMatch', values: ['negated'], negate: true }] };
    expect((await s.patch('/api/v2/flags/shop/not-them', [{ op: 'add', path: '/environments/production/rules/-', value: rule }])).status).toBe(200);
    const res = await s.del(`${base}/negated`);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('"not-them"');
  });
});
