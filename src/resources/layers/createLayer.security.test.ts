import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('createLayer: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
  });
  afterAll(() => s.close());
  const body = { key: 'sec', name: 'Sec', description: '' };

  it('401 without a token or with an unknown one', async () => {
    expect((await s.post('/api/v2/projects/proj/layers', body, { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.post('/api/v2/projects/proj/layers', body, { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
  });

  it('403 for a reader token, and nothing is created; a writer may create', async () => {
    const res = await s.post('/api/v2/projects/proj/layers', body, { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await s.get('/api/v2/projects/proj/layers')).body.totalCount).toBe(0);
    expect((await s.post('/api/v2/projects/proj/layers', body, { token: s.tokens.writer })).status).toBe(201);
  });
});
