import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('postProject: happy path', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('creates a project with production and test environments when none are given', async () => {
    const res = await s.post('/api/v2/projects', { name: 'Web shop', key: 'web-shop', tags: ['ops'] });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ key: 'web-shop', name: 'Web shop', tags: ['ops'], includeInSnippetByDefault: false });
    expect(res.body._id).toMatch(/^[0-9a-f]{24}$/);
    expect(res.body._links.self).toEqual({ href: '/api/v2/projects/web-shop', type: 'application/json' });
    expect(res.body.environments.map((e: { key: string }) => e.key)).toEqual(['production', 'test']);
    for (const env of res.body.environments) {
      expect(env.apiKey).toMatch(/^sdk-[0-9a-f-]{36}$/);
      expect(env.mobileKey).toMatch(/^mob-[0-9a-f-]{36}$/);
    }
    expect(res.body.environments[0].apiKey).not.toBe(res.body.environments[1].apiKey);
  });

  it('creates exactly the environments given', async () => {
    const res = await s.post('/api/v2/projects', {
      name: 'Two',
      key: 'two',
      environments: [{ name: 'Staging', key: 'staging', color: 'AABBCC', tags: ['x'] }],
    });
    expect(res.status).toBe(201);
    expect(res.body.environments).toHaveLength(1);
    expect(res.body.environments[0]).toMatchObject({ key: 'staging', name: 'Staging', color: 'AABBCC', tags: ['x'] });
  });

  it('gives the project a default `user` randomization unit', async () => {
    await s.post('/api/v2/projects', { name: 'Three', key: 'three' });
    const res = await s.get('/api/v2/projects/three/experimentation-settings');
    expect(res.status).toBe(200);
    expect(res.body.randomizationUnits).toEqual([{ randomizationUnit: 'user', default: true, _hidden: false, _displayName: 'User' }]);
  });
});
