import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getLayers: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Project', key: 'proj' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('401 without a valid token; every role may read', async () => {
    expect((await s.get('/api/v2/projects/proj/layers', { token: null })).status).toBe(401);
    expect((await s.get('/api/v2/projects/proj/layers', { token: 'api-x' })).body).toEqual({ code: 'unauthorized', message: 'Invalid access token' });
    for (const role of ['reader', 'writer', 'admin'] as const) {
      expect((await s.get('/api/v2/projects/proj/layers', { token: s.tokens[role] })).status).toBe(200);
    }
  });
});
