import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteProject: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Only', key: 'only' });
  });
  afterAll(() => s.close());

  it('404 naming an unknown project', async () => {
    const res = await s.del('/api/v2/projects/nope');
    expect(res.status).toBe(404);
    expect(res.body.message).toContain('"nope"');
  });

  it('400 for the last project of the account, which stays', async () => {
    const res = await s.del('/api/v2/projects/only');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_request');
    expect(res.body.message).toMatch(/"only" is the last project/);
    expect((await s.get('/api/v2/projects/only')).status).toBe(200);
  });
});
