import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getLayers: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('404 naming an unknown project', async () => {
    const res = await s.get('/api/v2/projects/nope/layers');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('400 naming `filter` for a field other than experimentKey', async () => {
    const res = await s.get('/api/v2/projects/proj/layers?filter=name:x');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.errors).toEqual([{ attribute: 'filter', reason: 'unknown filter field "name"; use one of experimentKey' }]);
  });

  it('400 naming `filter` for a filter that is not field:value', async () => {
    const res = await s.get('/api/v2/projects/proj/layers?filter=button');
    expect(res.status).toBe(400);
    expect(res.body.errors[0].attribute).toBe('filter');
    expect(res.body.message).toContain('filter');
  });
});
