import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getExperiments: security', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'P', key: 'p' });
  });
  afterAll(() => s.close());

  it('401 without a valid token; readers may list', async () => {
    for (const path of ['/api/v2/projects/p/environments/production/experiments', '/api/v2/projects/p/experiments']) {
      expect((await s.get(path, { token: null })).status).toBe(401);
      const res = await s.get(path, { token: s.tokens.reader });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ items: [], total_count: 0 });
    }
  });
});
