import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getSegment: errors', () => {
  let s: TestServer;
  const path = '/api/v2/segments/shop/production';
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Shop', key: 'shop' });
    await s.post(path, { name: 'Beta', key: 'beta' });
  });
  afterAll(() => s.close());

  it('404 naming the segment, its environment and project when there is no such segment', async () => {
    const res = await s.get(`${path}/nope`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Segment "nope" in environment "production" of project "shop" not found' });
  });

  it('404 naming the project or the environment that does not exist', async () => {
    const project = await s.get('/api/v2/segments/nope/production/beta');
    expect(project.status).toBe(404);
    expect(project.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
    const environment = await s.get('/api/v2/segments/shop/staging/beta');
    expect(environment.status).toBe(404);
    expect(environment.body).toEqual({ code: 'not_found', message: 'Environment "staging" in project "shop" not found' });
  });

  it('404 once the segment is deleted', async () => {
    await s.post(path, { name: 'Gone', key: 'gone' });
    expect((await s.del(`${path}/gone`)).status).toBe(204);
    const res = await s.get(`${path}/gone`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Segment "gone" in environment "production" of project "shop" not found' });
  });

  it('keys are case-sensitive: another case is another (missing) segment', async () => {
    expect((await s.get(`${path}/BETA`)).status).toBe(404);
    expect((await s.get(`${path}/beta`)).status).toBe(200);
  });
});
