import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BETA } from '../../../test/support/experimentRefs.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getMetricGroups: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
  });
  afterAll(() => s.close());

  async function bad(params: string, attribute: string, reason: RegExp) {
    const res = await s.get(`/api/v2/projects/shop/metric-groups?${params}`, BETA);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([{ attribute, reason: expect.stringMatching(reason) }]);
  }

  it('400 naming an unknown filter field, a wrong operator or a value out of range', async () => {
    await bad(`filter=${encodeURIComponent('tags contains a')}`, 'filter', /unknown filter field "tags"/);
    await bad(`filter=${encodeURIComponent('kind anyOf [funnel]')}`, 'filter', /takes the operator equals, not "anyOf"/);
    await bad(`filter=${encodeURIComponent('kind equals ordered')}`, 'filter', /takes one of funnel, standard/);
    await bad(`filter=${encodeURIComponent('experimentStatus equals paused')}`, 'filter', /not_started, running, stopped, started/);
  });

  it('400 naming sort or limit when unusable', async () => {
    await bad('sort=key', 'sort', /name, createdAt, connectionCount/);
    await bad('sort=name,-key', 'sort', /"key"/);
    await bad('limit=0', 'limit', /./);
  });

  it('404 naming a project that does not exist', async () => {
    expect(await s.get('/api/v2/projects/gone/metric-groups', BETA)).toMatchObject({ status: 404, body: { message: 'Project "gone" not found' } });
  });
});
