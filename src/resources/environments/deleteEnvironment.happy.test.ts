import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExperimentIn, createWorld } from '../../../test/support/fixtures.js';
import { startServer, type TestServer } from '../../../test/support/server.js';

describe('deleteEnvironment', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer();
  });
  afterAll(() => s.close());

  it('204; the environment, its flag targeting and its experiments are gone, the rest stays', async () => {
    const w = await createWorld(s);
    await createExperimentIn(s, w);
    const res = await s.del('/api/v2/projects/proj/environments/production');
    expect(res.status).toBe(204);
    expect((await s.get('/api/v2/projects/proj/environments/production')).status).toBe(404);
    const flag = (await s.get('/api/v2/flags/proj/checkout-button')).body;
    expect(Object.keys(flag.environments)).toEqual(['test']);
    expect(await s.store.db.selectFrom('experiments').selectAll().execute()).toEqual([]);
    expect((await s.get('/api/v2/metrics/proj/checkout-completed')).status).toBe(200);
    // a new environment with the old key starts afresh
    expect((await s.post('/api/v2/projects/proj/environments', { name: 'Production', key: 'production', color: '000000' })).status).toBe(201);
    expect((await s.get('/api/v2/flags/proj/checkout-button')).body.environments.production).toMatchObject({ on: false, rules: [], version: 1 });
  });

  it('404 naming the environment or project', async () => {
    expect((await s.del('/api/v2/projects/proj/environments/nope')).body).toEqual({ code: 'not_found', message: 'Environment "nope" in project "proj" not found' });
    expect((await s.del('/api/v2/projects/nope/environments/test')).status).toBe(404);
  });
});
