import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postProject: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  const body = { name: 'Sec', key: 'sec' };

  it('401 without a token or with an unknown one', async () => {
    expect((await s.post('/api/v2/projects', body, { token: null })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    expect((await s.post('/api/v2/projects', body, { token: 'api-00000000-0000-0000-0000-000000000000' })).status).toBe(401);
  });

  it("403 for a reader token; a writer may create projects (LaunchDarkly's Writers modify projects and environments)", async () => {
    const res = await s.post('/api/v2/projects', body, { token: s.tokens.reader });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await s.get('/api/v2/projects/sec')).status).toBe(404);
    expect((await s.post('/api/v2/projects', { name: 'By a writer', key: 'written' }, { token: s.tokens.writer })).status).toBe(201);
  });

  it('accepts a Bearer prefix', async () => {
    const res = await s.post('/api/v2/projects', body, { token: `Bearer ${s.tokens.admin}` });
    expect(res.status).toBe(201);
  });
});
