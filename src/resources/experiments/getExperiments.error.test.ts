import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getExperiments: errors', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
    await s.post('/api/v2/projects', { name: 'P', key: 'p' });
  });
  afterAll(() => s.close());
  const path = '/api/v2/projects/p/environments/production/experiments';

  it('400 naming the bad query parameter', async () => {
    const cases: [string, string][] = [
      ['limit=abc', 'limit'],
      ['limit=0', 'limit'],
      ['offset=-1', 'offset'],
      ['filter=color:red', 'filter'],
      ['filter=status:paused', 'filter'],
      ['filter=nocolon', 'filter'],
      ['lifecycleState=deleted', 'lifecycleState'],
    ];
    for (const [query, attribute] of cases) {
      const res = await s.get(`${path}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe('invalid_request');
      expect(res.body.errors[0].attribute).toBe(attribute);
      expect(res.body.message).toContain(attribute);
    }
  });

  it('404 for an unknown project or environment', async () => {
    expect((await s.get('/api/v2/projects/none/environments/production/experiments')).status).toBe(404);
    expect((await s.get('/api/v2/projects/p/environments/none/experiments')).status).toBe(404);
    expect((await s.get('/api/v2/projects/none/experiments')).status).toBe(404);
  });
});
