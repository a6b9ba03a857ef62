// GET /api/v2/openapi.json security: open without a token, as LaunchDarkly's is; it is the public spec, nothing of
// this server's own state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getOpenapiSpec security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { key: 'private-project', name: 'Private' })).status).toBe(201);
  });
  afterAll(() => s.close());

  it('answers without a token, and carries no project of this server', async () => {
    const res = await s.get('/api/v2/openapi.json', { token: null, headers: { authorization: 'anything' } });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toContain('private-project');
  });
});
