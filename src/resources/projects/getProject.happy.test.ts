// A project's `environments` (expand=environments, or by default before API version 20220603): "a paginated list of the
// project environments", the first 20 of getEnvironmentsByProject's order with the total and links to the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('getProject and getProjects: the environments expansion', () => {
  let s: TestServer;
  let listed: string[];
  beforeAll(async () => {
    s = await startServer();
    expect((await s.post('/api/v2/projects', { name: 'Many', key: 'many' })).status).toBe(201);
    expect((await s.post('/api/v2/projects', { name: 'Few', key: 'few' })).status).toBe(201);
    for (let i = 0; i < 21; i++) {
      const res = await s.post('/api/v2/projects/many/environments', { key: `env-${String(i).padStart(2, '0')}`, name: `Env ${i}`, color: '00ff00' });
      expect(res.status).toBe(201);
    }
    listed = (await s.get('/api/v2/projects/many/environments?limit=50')).body.items.map((e: { key: string }) => e.key);
    expect(listed).toHaveLength(23);
  });
  afterAll(() => s.close());

  it('getProject: the first 20, totalCount of all 23, and next and last links into getEnvironmentsByProject', async () => {
    const envs = (await s.get('/api/v2/projects/many?expand=environments')).body.environments;
    expect(envs.totalCount).toBe(23);
    expect(envs.items.map((e: { key: string }) => e.key)).toEqual(listed.slice(0, 20));
    expect(envs._links).toEqual({
      self: { href: '/api/v2/projects/many/environments', type: 'application/json' },
      next: { href: '/api/v2/projects/many/environments?limit=20&offset=20', type: 'application/json' },
      last: { href: '/api/v2/projects/many/environments?limit=20&offset=20', type: 'application/json' },
    });
    const rest = (await s.get(envs._links.next.href)).body.items.map((e: { key: string }) => e.key);
    expect([...envs.items.map((e: { key: string }) => e.key), ...rest]).toEqual(listed);
  });

  it('getProjects: each project the same way; a project with fewer has them all and only its self link', async () => {
    const items = (await s.get('/api/v2/projects?expand=environments')).body.items;
    const many = items.find((p: { key: string }) => p.key === 'many');
    const few = items.find((p: { key: string }) => p.key === 'few');
    expect(many.environments.items).toHaveLength(20);
    expect(many.environments.totalCount).toBe(23);
    expect(few.environments.items.map((e: { key: string }) => e.key).sort()).toEqual(['production', 'test']);
    expect(few.environments._links).toEqual({ self: { href: '/api/v2/projects/few/environments', type: 'application/json' } });
  });

  it('before API version 20220603 the environments come without expand, paged the same way', async () => {
    const old = (await s.get('/api/v2/projects/many', { headers: { 'LD-API-Version': '20210729' } })).body;
    expect(old.environments.items).toHaveLength(20);
    expect(old.environments.totalCount).toBe(23);
    expect((await s.get('/api/v2/projects/many')).body).not.toHaveProperty('environments');
  });
});
