import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getFlagDefaultsByProject: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'Kept', key: 'kept' });
  });
  afterAll(() => s.close());

  it('404 naming the project', async () => {
    const res = await s.get('/api/v2/projects/nope/flag-defaults');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 'not_found', message: 'Project "nope" not found' });
  });

  it('a deleted project is not found', async () => {
    await s.post('/api/v2/projects', { name: 'Gone', key: 'gone' });
    expect((await s.get('/api/v2/projects/gone/flag-defaults')).status).toBe(200);
    expect((await s.del('/api/v2/projects/gone')).status).toBe(204);
    expect((await s.get('/api/v2/projects/gone/flag-defaults')).body).toEqual({ code: 'not_found', message: 'Project "gone" not found' });
  });
});
